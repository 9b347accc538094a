// `npm run lint`'s import and code steps, with the project's own scripts and configuration, on a few files
// planted in a temporary project: each must fail on what it is there to catch, and pass once it is gone.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, type MakeTempDir } from '../../fixtures/temp-dir.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
// The scripts (package.json), the rules and the compiler settings the steps read, as the repository has them.
const CONFIGURATION = ['package.json', 'tsconfig.json', '.dependency-cruiser.cjs', 'eslint.config.js'];

const CLEAN_SPEC = {
  'tests/home.spec.ts': [
    "import { test, expect } from '@playwright/test';",
    '',
    "test('the home page has a title', async ({ page }) => {",
    "  await page.goto('https://example.test/');",
    '  await expect(page).toHaveTitle(/Home/);',
    '});',
    '',
  ].join('\n'),
};
// Every path the import step names, for it to have something to read, all of it clean.
const TREE = {
  ...CLEAN_SPEC,
  'fixtures/index.ts': "export { test, expect } from '@playwright/test';\n",
  'scripts/flags.ts': "export const flags = ['--users'];\n",
  'reference-service/src/main.ts': 'export const port = 3000;\n',
  'playwright.config.ts': 'export default {};\n',
  'merge.config.ts': 'export default {};\n',
};
const CLEAN_SUPPORT = {
  'support/plan.ts': 'export interface Plan {\n  users: number;\n}\n',
  'support/run.ts': "import type { Plan } from './plan.ts';\n\nexport function usersOf(plan: Plan): number {\n  return plan.users;\n}\n",
};

interface Run {
  code: number;
  output: string;
}

/** A project of `files` beside the repository's configuration; its packages are the repository's. */
async function plantProject(makeTempDir: MakeTempDir, files: Record<string, string>): Promise<string> {
  const root = await makeTempDir('lint-');
  await Promise.all(CONFIGURATION.map((name) => copyFile(join(REPO, name), join(root, name))));
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries({ ...TREE, ...files })) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** `npm run <script>` in `cwd`, as `npm run lint` runs it; without colours, which a test run would switch on. */
function runScript(cwd: string, script: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    execFile('npm', ['run', '--silent', script], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

test('the import step fails on a circle and on support/ importing a command, naming each', async ({ makeTempDir }) => {
  const root = await plantProject(makeTempDir, {
    'support/plan.ts':
      "import { usersOf } from './run.ts';\n\nexport interface Plan {\n  users: number;\n}\nexport const twice = (plan: Plan) => 2 * usersOf(plan);\n",
    'support/run.ts': CLEAN_SUPPORT['support/run.ts'],
    'support/options.ts': "import { flags } from '../scripts/flags.ts';\n\nexport const options = flags;\n",
  });
  const run = await runScript(root, 'lint:imports');
  expect(run.code, run.output).not.toBe(0);
  expect(run.output).toMatch(/no-circular: support\/(plan|run)\.ts/);
  expect(run.output).toContain('support-stays-below: support/options.ts → scripts/flags.ts');
});

test('the code step fails on a floating promise in a spec, naming the line', async ({ makeTempDir }) => {
  const root = await plantProject(makeTempDir, {
    'tests/home.spec.ts': CLEAN_SPEC['tests/home.spec.ts'].replace("  await page.goto('https://example.test/');", "  page.goto('https://example.test/');"),
  });
  const run = await runScript(root, 'lint:code');
  // 1 is ESLint's exit for problems found; 2 would be a broken configuration, which proves nothing.
  expect(run.code, run.output).toBe(1);
  expect(run.output).toMatch(/home\.spec\.ts\s+4:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/);
});

test('both steps pass on the same files without what was planted', async ({ makeTempDir }) => {
  const root = await plantProject(makeTempDir, CLEAN_SUPPORT);
  const [imports, code] = await Promise.all([runScript(root, 'lint:imports'), runScript(root, 'lint:code')]);
  expect(imports.code, imports.output).toBe(0);
  expect(code.code, code.output).toBe(0);
});
