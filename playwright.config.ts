import { defineConfig } from '@playwright/test';
import { chooseChromium } from './support/ui/browser.ts';
import { loadEnvFiles } from './support/config/env-files.ts';
import { evidenceReporters, shardReporters } from './support/evidence/reporters/reporters.ts';
import { prepareSecretsFile, registerConfiguredSecrets } from './support/evidence/redaction/secrets.ts';
import { evidenceLocations } from './support/config/settings/evidence.ts';

// Shell, then .env.<TARGET_PROFILE>, then .env, then .env.engine; the preflight reports what is wrong.
loadEnvFiles();
prepareSecretsFile();
registerConfiguredSecrets();
const external = process.env.TARGET === 'external';
const { reportsDir, testResultsDir, trace } = evidenceLocations();
const sharded = process.argv.some((argument) => argument.startsWith('--shard'));
// `--reporter` on the command line replaces every reporter below, the post-run scrub among them.
const reportersReplaced = process.argv.some((argument) => argument.startsWith('--reporter'));

export default defineConfig({
  testDir: 'tests',
  globalSetup: './support/config/preflight.ts',
  // Without the evidence reporter, test-results/ (traces hold typed passwords) is scrubbed here instead.
  globalTeardown: reportersReplaced ? './support/evidence/redaction/scrub-without-reporters.ts' : undefined,
  // Against staging, a login may take 17 s on a bad day; the golden path must still be able to finish.
  timeout: external ? 60_000 : 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // The project's own CI fails on a test that needed a second attempt: a flaky harness is ignored, then
  // useless. Against staging the run is monitoring: a pass on re-run is reported as flaky, not failed.
  failOnFlakyTests: !!process.env.CI && !external,
  retries: 0,
  workers: 2,
  // A shard writes a blob for `npm run merge-reports`, which builds the report and verdict of all shards.
  reporter: sharded ? shardReporters({ reportsDir, testResultsDir }) : evidenceReporters({ reportsDir, testResultsDir }),
  outputDir: testResultsDir,
  use: {
    browserName: 'chromium',
    launchOptions: chooseChromium().launchOptions,
    // Traces hold Authorization headers, cookies and typed passwords in clear text; the evidence reporter
    // scrubs them (inside the zip) after the run, so failing tests keep theirs as evidence.
    trace,
    screenshot: 'on',
  },
  // `npx playwright test` runs the projects that are evidence about the target; the others are the
  // harness's and the bundled service's own tests (`default: false`), run when named (`--project unit`)
  // or all at once with `--project '*'`, as `npm test` and CI do. So a default run's verdict and report
  // speak only of the target.
  projects: [
    { name: 'unit', testDir: 'tests/unit', default: false },
    // A failed golden path is re-run once, Datadog-style: the final attempt decides, the first failure stays
    // in the evidence. The security specs opt out (a bad credential let in once is a finding).
    { name: 'e2e', testDir: 'tests', testIgnore: ['unit/**', 'tooling/**', 'reference-service/**', 'self-test/**', 'load/**'], retries: 1 },
    // The report and comment commands' own tests: they need no target.
    { name: 'tooling', testDir: 'tests/tooling', default: false },
    // Many users at once (tests/load), only when asked for with LOAD_USERS: see the README's "Load" section.
    ...(process.env.LOAD_USERS ? [{ name: 'load', testDir: 'tests/load' }] : []),
    // The bundled service's own tests, and the harness's self-test (nested harness runs against faulty
    // instances of it, and the npm run commands themselves), need the local stack.
    ...(external
      ? []
      : [
          { name: 'reference-service', testDir: 'tests/reference-service', default: false },
          { name: 'self-test', testDir: 'tests/self-test', default: false },
        ]),
  ],
});
