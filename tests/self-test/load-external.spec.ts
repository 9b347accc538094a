import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import type { LoadSummary } from '../../support/load/summary.ts';
import { seededAccounts } from '../../support/self-test/accounts.ts';
import { runHarness } from '../../support/self-test/nested-run.ts';

test.describe.configure({ timeout: 120_000 });

const USERS = 20;

test.describe('the load project against an external target, with users minted from JWT_SECRET', () => {
  test('a target that provisions users from valid tokens: every synthetic user gets a verified run', async ({ launchService, containers }, testInfo) => {
    const service = await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } });

    const run = await runLoadProject(service, containers.databaseUrl, testInfo.outputPath('run'));

    expect(run.exitCode, run.output).toBe(0);
    const summary = JSON.parse(readFileSync(join(run.reportsDir, 'load', 'summary.json'), 'utf8')) as LoadSummary;
    // Minted users do not log in: no login figures, every other one.
    expect(summary).toMatchObject({ users: USERS, connected: USERS, verifiedRuns: USERS, errorRate: 0, leaks: 0 });
    expect(summary.latency.loginMs.p50).toBeUndefined();
    expect(summary.latency.completionMs.p50).toBeGreaterThan(0);
  });

  test("a target that does not: the run fails at agent-events, each user's run refused", async ({ launchService, containers }, testInfo) => {
    const service = await launchService();

    const run = await runLoadProject(service, containers.databaseUrl, testInfo.outputPath('run'));

    expect(run.exitCode, run.output).toBe(1);
    expect(run.verdict, run.output).toMatchObject({ verdict: 'FAIL', failingStage: 'agent-events' });
    expect(run.output).toContain(`${USERS} of ${USERS} users failed`);
  });
});

/** The load project, as a user runs it against an external target with minted users, into `dir`. */
async function runLoadProject(service: { baseUrl: string; jwtSecret: string }, databaseUrl: string, dir: string) {
  return runHarness({
    dir,
    args: ['--project=load'],
    env: {
      TARGET: 'external',
      BASE_URL: service.baseUrl,
      JWT_SECRET: service.jwtSecret,
      LOAD_USERS: String(USERS),
      LOAD_RAMP_SECONDS: '0',
      ...(await seededAccounts(databaseUrl)),
    },
  });
}
