import { test, expect } from '../../fixtures/index.ts';
import { answerPattern, arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, awaitRunMentioning, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { measureRun } from '../../support/protocol/latency.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { repetitions } from '../../support/golden-path/repetitions.ts';

const GRACE_MS = 5000;

for (const { suffix } of repetitions()) {
  test(`a user logs in over HTTP and gets the correct AI answer over the WebSocket${suffix}`, { tag: ['@smoke', '@golden-path'] }, async ({
    chatService,
    testUser,
    chatSocket,
    settings,
    evidence,
  }) => {
    const { prompt, needle, expectedAnswer } = arithmeticPrompt();
    const { latency } = settings;

    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    const socket = await inStage('websocket', `a socket opens with ${settings.wsAuth} auth and is welcomed`, () => openWelcomed(chatSocket, session, latency.connectMs + GRACE_MS));

    const sentAt = socket.send({ type: 'user_message', text: prompt });
    evidence.recordRun(socket, sentAt);
    const runId = await inStage('agent-events', `the run of "${prompt}" starts`, () => awaitRunMentioning(socket, needle, latency.firstEventMs + GRACE_MS));
    const answer = await inStage('agent-events', 'all five events arrive, in order, for this user and run', async () => {
      const finalResponse = await awaitCompletion(socket, runId, latency.completionMs + GRACE_MS);
      expect(socket).toHaveCompleteRun({ runId, userId: session.userId });
      return finalResponse!;
    });
    await inStage('ai-response', `the answer carries ${expectedAnswer}`, async () => expect(answer).toMatch(answerPattern(expectedAnswer)));
    await inStage('isolation', "the socket saw no other user's events", async () => expect(socket).toBeOwnedBy(session.userId));
    await inStage('latency', 'connect, first event and completion are within their thresholds', async () =>
      expect(measureRun(socket.frames, runId, sentAt)).toMeetLatency(latency),
    );
  });
}
