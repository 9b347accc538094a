import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import { listFiles } from '../../support/evidence/redaction/evidence-files.ts';
import { runReferenceServiceUntilExit } from '../../support/stack/reference-service-process.ts';
import { seededAccounts } from '../../support/self-test/accounts.ts';
import { FAULT_MATRIX, type FaultRow } from '../../support/self-test/fault-matrix.ts';
import { runHarness, type NestedRun } from '../../support/self-test/nested-run.ts';
import { allureCategories, STAGE_CATEGORIES } from '../../support/verdict/categories.ts';

test.describe.configure({ timeout: 120_000 });

const HEALTHY_RUN_SPECS = [...new Set(FAULT_MATRIX.filter((row) => row.target !== 'local').flatMap((row) => row.specs))];

/** The failed Allure results of a run, with the category Allure will file each under. */
function allureCategoriesOfFailures(run: NestedRun): string[] {
  const rules = allureCategories();
  return listFiles(join(run.reportsDir, 'allure-results'))
    .filter((file) => file.endsWith('-result.json'))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { status: string; statusDetails?: { message?: string } })
    .filter((result) => result.status === 'failed' || result.status === 'broken')
    .map((result) => rules.find((rule) => !rule.messageRegex || new RegExp(rule.messageRegex).test(result.statusDetails?.message ?? ''))!.name);
}

test('every fault switch the reference service offers has a row in the matrix', async ({ containers }) => {
  // The service lists its switches when given one it does not know; the harness does not import its code.
  const exit = await runReferenceServiceUntilExit({ databaseUrl: containers.databaseUrl, redisUrl: containers.redisUrl, faults: ['no_such_fault'] });
  const offered = /use any of: ([a-z_0-9, ]+)/.exec(exit.stderr)?.[1]?.split(', ') ?? [];

  expect(offered.length, exit.stderr).toBeGreaterThan(10);
  expect([...new Set(FAULT_MATRIX.map((row) => row.fault.split(':')[0]))].sort()).toEqual(offered.sort());
});

test.describe('the harness against a healthy service', () => {
  test('passes every spec the matrix uses: the matrix fails because of its faults, not the harness', async ({ launchService, containers }, testInfo) => {
    const service = await launchService();
    const run = await runHarness({
      dir: testInfo.outputPath('healthy'),
      args: ['--project=e2e', '--workers=1', ...HEALTHY_RUN_SPECS],
      env: { TARGET: 'external', BASE_URL: service.baseUrl, JWT_SECRET: service.jwtSecret, ...(await seededAccounts(containers.databaseUrl)) },
    });

    expect(run.exitCode, run.output).toBe(0);
    expect(run.verdict).toMatchObject({ verdict: 'PASS', failingStage: null, tests: { failed: 0 } });
  });
});

test.describe('the fault matrix', () => {
  for (const row of FAULT_MATRIX) {
    test(`${row.fault} turns the verdict red at ${row.stage} (${row.specs.map((spec) => spec.split('/').pop()).join(', ')})`, async ({
      launchService,
      containers,
    }, testInfo) => {
      const run = await runAgainstFault(row, { launchService, databaseUrl: containers.databaseUrl, dir: testInfo.outputPath('run') });

      expect(run.exitCode, run.output).toBe(1);
      expect(run.verdict, run.output).toMatchObject({ verdict: 'FAIL', failingStage: row.stage, category: STAGE_CATEGORIES[row.stage].name });
      expect(allureCategoriesOfFailures(run)).toContain(STAGE_CATEGORIES[row.stage].name);
    });
  }
});

async function runAgainstFault(
  row: FaultRow,
  context: { launchService: (options: { faults: string[] }) => Promise<{ baseUrl: string; jwtSecret: string }>; databaseUrl: string; dir: string },
): Promise<NestedRun> {
  // A fault fails its test the same way twice: the e2e project's retry would only double the row's time.
  const args = ['--project=e2e', '--workers=1', '--retries=0', ...row.specs];
  if (row.target === 'local') {
    return runHarness({ dir: context.dir, args, env: { TARGET: 'local', LOCAL_SERVICE_FAULTS: row.fault, ...row.env } });
  }
  const service = await context.launchService({ faults: [row.fault] });
  return runHarness({
    dir: context.dir,
    args,
    env: { TARGET: 'external', BASE_URL: service.baseUrl, JWT_SECRET: service.jwtSecret, ...(await seededAccounts(context.databaseUrl)), ...row.env },
  });
}
