import { defineConfig } from '@playwright/test';
import { loadEnvFiles } from './support/config/env-files.ts';
import { evidenceReporters } from './support/evidence/reporters/reporters.ts';
import { prepareSecretsFile, registerConfiguredSecrets } from './support/evidence/redaction/secrets.ts';
import { evidenceLocations } from './support/config/settings/evidence.ts';

// `npm run merge-reports`: the shards' blobs (reports/blob/*.zip, gathered from every machine) become one
// set of evidence, the same as an unsharded run writes: Allure results, the HTML and JSON reports, and
// one verdict for all of them.
loadEnvFiles();
prepareSecretsFile();
registerConfiguredSecrets();

export default defineConfig({
  testDir: 'tests',
  reporter: evidenceReporters(evidenceLocations()),
});
