import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import { listFiles, visitTexts } from '../../support/evidence/redaction/evidence-files.ts';
import { findSecrets } from '../../support/evidence/redaction/scrub.ts';
import { seedUser } from '../../support/stack/seed-user.ts';
import { generateReport, runHarness } from '../../support/self-test/nested-run.ts';

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./;

test.describe.configure({ timeout: 120_000 });
test.skip(({ settings }) => settings.target !== 'local', 'starts a reference service of its own: local targets only');

test('a failing run with traces on leaves no planted secret anywhere in reports/ or test-results/, and its verdict names the stage', async ({
  launchService,
  containers,
}, testInfo) => {
  const canary = {
    password: `CANARY-pw-${randomBytes(9).toString('base64url')}`,
    jwtSecret: `CANARY-key-${randomBytes(24).toString('base64url')}`,
  };
  const email = `canary-${randomUUID()}@golden-path.test`;
  // A canned answer: the run fails at ai-response after every other step has written its evidence.
  const service = await launchService({ jwtSecret: canary.jwtSecret, faults: ['fallback_answer'] });
  await seedUser(containers.databaseUrl, email, canary.password);

  const run = await runHarness({
    dir: testInfo.outputPath('nested'),
    args: ['--project=e2e', '--grep', '@golden-path', 'tests/golden-path/api.spec.ts', 'tests/golden-path/browser.spec.ts'],
    env: {
      TARGET: 'external',
      BASE_URL: service.baseUrl,
      TEST_USER_EMAIL: email,
      TEST_USER_PASSWORD: canary.password,
      JWT_SECRET: canary.jwtSecret,
      TRACE: 'on',
    },
  });

  expect(run.exitCode, run.output).toBe(1);
  expect(run.verdict).toMatchObject({ verdict: 'FAIL', failingStage: 'ai-response', category: 'AI response', tests: { failed: 2 } });

  const outputs = [run.reportsDir, run.testResultsDir];
  const files = outputs.flatMap(listFiles);
  // The search has material: traces, screenshots, transcripts, and the user's (public) email in them.
  expect(files.filter((file) => file.endsWith('trace.zip')).length).toBeGreaterThanOrEqual(2);
  expect(findSecrets(outputs, [email]).length).toBeGreaterThan(0);

  expect(findSecrets(outputs, [canary.password, canary.jwtSecret])).toEqual([]);
  // The service's own tokens were never planted, but nothing JWT-shaped may survive either.
  const jwtShaped: string[] = [];
  for (const folder of outputs) visitTexts(folder, (text, where) => (JWT_SHAPE.test(text) && jwtShaped.push(where), text), { skipApplicationCode: false });
  expect(jwtShaped).toEqual([]);

  const allureResults = join(run.reportsDir, 'allure-results');
  const failed = listFiles(allureResults)
    .filter((file) => file.endsWith('-result.json'))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { status: string; statusDetails?: { message?: string } })
    .filter((result) => result.status === 'failed');
  // Two tests, each re-run once: every attempt failed at the same stage.
  expect(failed.map((result) => result.statusDetails?.message?.split('\n')[0])).toEqual(
    Array(4).fill(expect.stringMatching(/^StageFailure: \[stage:ai-response\] /)),
  );

  // The report built from it files the failure under the stage's category, and carries no secret either.
  const report = await generateReport(run.reportsDir);
  expect(report.exitCode, report.output).toBe(0);
  const categories = JSON.parse(readFileSync(join(run.reportsDir, 'allure-report/widgets/categories.json'), 'utf8')) as {
    nodes: Record<string, { type: string; name: string }>;
  };
  expect(
    Object.values(categories.nodes)
      .filter((node) => node.type === 'category')
      .map((node) => node.name),
  ).toEqual(['AI response']);
  expect(findSecrets([join(run.reportsDir, 'allure-report'), join(run.reportsDir, 'allure-report-single')], [canary.password, canary.jwtSecret])).toEqual([]);
});
