import { test, expect } from '../../fixtures/index.ts';
import { attachEvidence } from '../../support/evidence/attach.ts';
import { earliestFailure, leakReport, runConcurrently, targetOptions } from '../../support/load/concurrent-runs.ts';
import { renderLatencyPage } from '../../support/load/latency-page.ts';
import { summariseLoad } from '../../support/load/summary.ts';
import { seedFreshUsers } from '../../support/stack/seed-user.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { StageFailure } from '../../support/verdict/stages.ts';

const USERS = 100;

test.skip(({ settings }) => settings.target !== 'local', `seeds ${USERS} users: local targets only`);
test.describe.configure({ timeout: 120_000 });

test(`${USERS} users at once each get their own complete, correct run, and no socket receives another user's frame`, async ({
  chatService,
  containers,
  settings,
}, testInfo) => {
  const users = await inStage('infrastructure', `${USERS} users are seeded`, () => seedFreshUsers(containers.databaseUrl, USERS));

  const result = await inStage('agent-events', `${USERS} users log in, open a socket each, then all ask at once`, async () => {
    const result = await runConcurrently({
      ...targetOptions(chatService, settings),
      users,
      // Logins are scrypt-bound (about 33/s on 2 idle cores, far fewer when CI runs other stacks beside):
      // a few at a time go at the service's pace, so this test measures isolation, not the password
      // hash under a storm (a storm of 100 gets 503s from the service's database pool).
      rampMs: 0,
      loginsInFlight: 4,
    });
    const summary = summariseLoad(result);
    await attachEvidence(testInfo, 'concurrent-runs.json', summary);
    await attachEvidence(
      testInfo,
      'latency.html',
      renderLatencyPage({ title: testInfo.title, summary, outcomes: result.outcomes, target: chatService.baseUrl, generatedAt: new Date() }),
      'text/html',
    );
    const failure = earliestFailure(result.outcomes);
    if (failure) throw new StageFailure(failure.stage, `${failure.users} of ${USERS} users failed; the first at the earliest stage: ${failure.message}`);
    return result;
  });

  await inStage('isolation', "no socket received a frame of another user's run", async () => {
    const leaks = leakReport(result.outcomes);
    expect(leaks.count, leaks.message).toBe(0);
  });
});
