import { test, expect } from '../../fixtures/index.ts';
import { attachEvidence } from '../../support/evidence/attach.ts';
import { externalLoadUsers } from '../../support/load/accounts.ts';
import { earliestFailure, leakReport, runConcurrently, targetOptions } from '../../support/load/concurrent-runs.ts';
import { renderLatencyPage } from '../../support/load/latency-page.ts';
import { LOAD_SLICE_ATTACHMENT, type LoadSliceAttachment } from '../../support/load/load-reporter.ts';
import { parseLoadPlan, sliceRange } from '../../support/load/plan.ts';
import { summariseLoad } from '../../support/load/summary.ts';
import { seedFreshUsers } from '../../support/stack/seed-user.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { StageFailure } from '../../support/verdict/stages.ts';

// The load project (present when LOAD_USERS is set): LOAD_USERS users split into LOAD_SLICES tests, so
// that `--shard=i/LOAD_SLICES` gives each machine its own slice, and the load reporter adds the slices
// up, in the run or in `npm run merge-reports`.
const { plan, problems } = parseLoadPlan(
  { users: process.env.LOAD_USERS, rampSeconds: process.env.LOAD_RAMP_SECONDS, maxErrorRate: process.env.LOAD_MAX_ERROR_RATE, slices: process.env.LOAD_SLICES },
  { users: 'LOAD_USERS', rampSeconds: 'LOAD_RAMP_SECONDS', maxErrorRate: 'LOAD_MAX_ERROR_RATE', slices: 'LOAD_SLICES' },
);
if (!plan) throw new Error(`the load project cannot run: ${problems.join('; ')}`);

for (let index = 0; index < plan.slices; index++) {
  const { start, count } = sliceRange(plan.users, plan.slices, index);

  test(`load slice ${index + 1}/${plan.slices}: ${count} users at once, each run verified, no frame of another user`, async ({
    chatService,
    localStack,
    settings,
  }, testInfo) => {
    // Seeding and logins take time in proportion to the users; the runs themselves take seconds.
    test.setTimeout(plan.rampSeconds * 1000 + 120_000 + count * 200);
    const users = await inStage('infrastructure', `${count} users are ready`, async () =>
      chatService.kind === 'local'
        ? seedFreshUsers((await localStack.ensureStarted()).containers.databaseUrl, count)
        : externalLoadUsers(
            process.env,
            Array.from({ length: count }, (_, line) => start + line),
          ),
    );

    const result = await inStage(
      'agent-events',
      `${count} users arrive over ${plan.rampSeconds} s, each logs in, opens a socket and asks, and holds it until all have asked`,
      () =>
        runConcurrently({
          ...targetOptions(chatService, settings),
          users,
          rampMs: plan.rampSeconds * 1000,
        }),
    );
    const summary = summariseLoad(result);
    const slice: LoadSliceAttachment = { target: chatService.baseUrl, result };
    await attachEvidence(testInfo, LOAD_SLICE_ATTACHMENT, slice);
    await attachEvidence(
      testInfo,
      'latency.html',
      renderLatencyPage({ title: testInfo.title, summary, outcomes: result.outcomes, target: chatService.baseUrl, generatedAt: new Date() }),
      'text/html',
    );

    const failure = earliestFailure(result.outcomes);
    if (failure && summary.errorRate * 100 > plan.maxErrorRate) {
      const leaks = summary.leaks > 0 ? `; and ${summary.leaks} frame(s) reached another user's socket` : '';
      throw new StageFailure(
        failure.stage,
        `${failure.users} of ${count} users failed, over the ${plan.maxErrorRate} % allowed (LOAD_MAX_ERROR_RATE); the first at the earliest stage: ${failure.message}${leaks}`,
      );
    }
    await inStage('isolation', "no socket received a frame of another user's run", async () => {
      const leaks = leakReport(result.outcomes);
      expect(leaks.count, leaks.message).toBe(0);
    });
  });
}
