// @ts-check
import { defineConfig, globalIgnores } from 'eslint/config';
import playwright from 'eslint-plugin-playwright';
import tseslint from 'typescript-eslint';

// What the compiler cannot see: a promise nobody awaits (the commonest silent bug in a Playwright suite), a
// promise handed where a plain value is expected, an await on something that is no promise, and what is
// declared and never used. Type-aware, so it reads the same tsconfig.json as `tsc --noEmit`.
export default defineConfig(
  globalIgnores(['reports/', 'test-results/', 'playwright-report/', 'blob-report/', 'allure-results/']),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Dropping a field by destructuring it beside a rest (`const { ci: _ci, ...env } = process.env`) copies
      // without it; the dropped name is there to be left out, not used.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['tests/**/*.ts', 'fixtures/**/*.ts'],
    extends: [playwright.configs['flat/recommended']],
    rules: {
      // Checks that sit in the project's helpers, each failing the test when what it checks is not so: a fault
      // case's `check`, a startup refused in one line, and a frame the socket must receive (`waitForType`
      // rejects when it does not come).
      'playwright/expect-expect': ['warn', { assertFunctionNames: ['check', 'expectStartupRefusedInOneLine', 'waitForType'] }],
      // `test.skip(condition, reason)` is how a test says that the target lacks what it checks (no readiness
      // endpoint, not a local stack); only a skip with no condition is a test switched off and forgotten.
      'playwright/no-skipped-test': ['warn', { allowConditional: true }],
      // Off: one spec runs against targets of several shapes (ticket or token sockets, UI or API login, the
      // service's variants), and a table's row or the target's settings choose which check runs; the chosen
      // check always runs and names what failed. Loops that gather what to check are conditionals too.
      'playwright/no-conditional-in-test': 'off',
      'playwright/no-conditional-expect': 'off',
    },
  },
  {
    files: ['tests/reference-service/faults.spec.ts'],
    rules: {
      // Off here: the fault cases keep their checks in a table, as methods of object literals, which the rule
      // takes for expects outside any test (it knows function declarations, variables and class methods
      // only); each check runs inside the test that loops over the table.
      'playwright/no-standalone-expect': 'off',
    },
  },
);
