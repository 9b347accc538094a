import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../../fixtures/temp-dir.ts';
import scrubWithoutReporters from '../../support/evidence/redaction/scrub-without-reporters.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';

test('with the reporters replaced on the command line, the teardown scrubs test-results/ and removes the secrets file', async ({ makeTempDir }) => {
  const testResults = await makeTempDir('scrub-teardown-');
  const secretsFile = join(await makeTempDir('scrub-secrets-'), 'secrets');
  const saved = { file: process.env.GOLDEN_PATH_SECRETS_FILE, dir: process.env.TEST_RESULTS_DIR };
  // This run's own secrets file must survive the test: the teardown under test deletes the one it is given.
  process.env.GOLDEN_PATH_SECRETS_FILE = secretsFile;
  process.env.TEST_RESULTS_DIR = testResults;
  try {
    const password = `typed-password-${Date.now()}`;
    registerSecret(password);
    const attachment = join(testResults, 'trace-network.txt');
    writeFileSync(attachment, `POST /auth/login {"password":"${password}"} page.fill("#password", "${password}")`);

    scrubWithoutReporters();

    expect(readFileSync(attachment, 'utf8')).not.toContain(password);
    expect(existsSync(secretsFile)).toBe(false);
  } finally {
    restore('GOLDEN_PATH_SECRETS_FILE', saved.file);
    restore('TEST_RESULTS_DIR', saved.dir);
  }
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
