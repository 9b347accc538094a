import { test, expect } from '../../fixtures/index.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn, withAccountTurn } from '../../support/golden-path/turn.ts';
import { GRACE_MS, measureRun } from '../../support/protocol/latency.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { repetitions } from '../../support/golden-path/repetitions.ts';

for (const { suffix } of repetitions()) {
  test(
    `a user logs in over HTTP and gets the correct AI answer over the WebSocket${suffix}`,
    { tag: ['@smoke', '@golden-path'] },
    async ({ chatService, testUser, chatSocket, settings, evidence }) => {
      const golden = goldenPrompt(settings.goldenPrompt);
      const { latency } = settings;

      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
      const socket = await inStage('websocket', `a socket opens with ${settings.wsAuth} auth and is welcomed`, () =>
        openWelcomed(chatSocket, session, latency.connectMs + GRACE_MS),
      );

      const { turn, runId, completion } = await withAccountTurn(settings.target, testUser.email, async () => {
        const turn = sendTurn(socket, golden, session.userId);
        evidence.recordRun(socket, turn.sentAt);
        const { runId, foundBy } = await inStage('agent-events', `the run of "${golden.prompt}" starts`, () =>
          awaitOwnRun(socket, turn, latency.firstEventMs + GRACE_MS),
        );
        test.info().annotations.push({ type: 'run found by', description: foundBy });
        const completion = await inStage('agent-events', 'all five events arrive, in order, for this user and run', async () => {
          const completed = await awaitCompletion(socket, runId, latency.completionMs + GRACE_MS);
          expect(socket).toHaveCompleteRun({ runId, userId: session.userId, threadId: turn.threadId });
          return completed!;
        });
        return { turn, runId, completion };
      });
      await inStage('ai-response', `the answer carries ${golden.expectedAnswer}`, async () => expect(answerAt(completion)).toMatch(golden.answer));
      await inStage('isolation', "the socket saw no other user's events", async () => expect(socket).toBeOwnedBy(session.userId));
      await inStage('latency', 'connect, first event and completion are within their thresholds', async () =>
        expect(measureRun(socket.frames, runId, turn.sentAt)).toMeetLatency(latency),
      );
    },
  );
}
