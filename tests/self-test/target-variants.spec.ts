import { test, expect } from '../../fixtures/index.ts';
import { seededAccounts } from '../../support/self-test/accounts.ts';
import { runHarness } from '../../support/self-test/nested-run.ts';
import { TARGET_VARIANTS, harnessSettingsFor } from '../../support/self-test/target-variants.ts';

test.describe.configure({ timeout: 120_000 });

test.describe('the smoke suite against a separately started service, one variant at a time', () => {
  for (const variant of TARGET_VARIANTS) {
    const expectation = variant.fails ? `fails at ${variant.fails.stage}` : 'passes';

    test(`${variant.name}: ${expectation}`, async ({ launchService, containers }, testInfo) => {
      const service = await launchService({ env: variant.service });
      const run = await runHarness({
        dir: testInfo.outputPath('run'),
        // A row that must fail fails the same way twice: a retry would only double its time.
        args: ['--project=e2e', '--grep', variant.grep ?? '@smoke', '--workers=1', ...(variant.fails ? ['--retries=0'] : [])],
        env: {
          TARGET: 'external',
          BASE_URL: service.baseUrl,
          JWT_SECRET: service.jwtSecret,
          ...(await seededAccounts(containers.databaseUrl)),
          ...harnessSettingsFor(variant, service),
        },
      });

      if (!variant.fails) {
        expect(run.exitCode, run.output).toBe(0);
        expect(run.verdict, run.output).toMatchObject({ verdict: 'PASS', tests: { failed: 0 } });
        return;
      }
      expect(run.exitCode, run.output).toBe(1);
      expect(run.verdict, run.output).toMatchObject({ verdict: 'FAIL', failingStage: variant.fails.stage });
      const messages = run.verdict!.failures.filter((failure) => failure.stage === variant.fails!.stage).map((failure) => failure.message);
      expect(messages).toContainEqual(expect.stringMatching(variant.fails.message));
    });
  }
});
