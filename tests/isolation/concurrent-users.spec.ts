import { test, expect } from '../../fixtures/index.ts';
import { arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, awaitRunMentioning, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

const RUN_WAIT_MS = 15_000;
const WELCOME_WAIT_MS = 5000;

test.describe('isolation', { tag: ['@smoke'] }, () => {
  test('two users at once each see only their own run', async ({ chatService, testUser, secondUser, chatSocket, settings }) => {
    const [first, second] = await inStage('auth', 'both users log in', () =>
      Promise.all([signIn(chatService.baseUrl, testUser, settings.login), signIn(chatService.baseUrl, secondUser, settings.login)]),
    );
    const [firstSocket, secondSocket] = await inStage('websocket', 'each opens a socket', () =>
      Promise.all([openWelcomed(chatSocket, first, WELCOME_WAIT_MS), openWelcomed(chatSocket, second, WELCOME_WAIT_MS)]),
    );
    const [firstPrompt, secondPrompt] = [arithmeticPrompt(), arithmeticPrompt()];
    firstSocket.send({ type: 'user_message', text: firstPrompt.prompt });
    secondSocket.send({ type: 'user_message', text: secondPrompt.prompt });

    const [firstRun, secondRun] = await inStage('agent-events', 'both runs complete, each in full', async () => {
      const runs = await Promise.all([
        awaitRunMentioning(firstSocket, firstPrompt.needle, RUN_WAIT_MS),
        awaitRunMentioning(secondSocket, secondPrompt.needle, RUN_WAIT_MS),
      ]);
      await Promise.all([awaitCompletion(firstSocket, runs[0], RUN_WAIT_MS), awaitCompletion(secondSocket, runs[1], RUN_WAIT_MS)]);
      expect(firstSocket).toHaveCompleteRun({ runId: runs[0], userId: first.userId });
      expect(secondSocket).toHaveCompleteRun({ runId: runs[1], userId: second.userId });
      return runs;
    });
    await inStage('isolation', "neither socket received the other user's events", async () => {
      expect(firstSocket).toBeOwnedBy(first.userId);
      expect(secondSocket).toBeOwnedBy(second.userId);
      expect(firstSocket.framesOfRun(secondRun)).toEqual([]);
      expect(secondSocket.framesOfRun(firstRun)).toEqual([]);
    });
  });

  test("a user's run reaches every socket of that user", async ({ chatService, testUser, chatSocket, settings }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    const [sender, listener] = await inStage('websocket', 'the user opens two sockets', () =>
      Promise.all([openWelcomed(chatSocket, session, WELCOME_WAIT_MS), openWelcomed(chatSocket, session, WELCOME_WAIT_MS)]),
    );
    const { prompt, needle } = arithmeticPrompt();
    sender.send({ type: 'user_message', text: prompt });
    await inStage('agent-events', 'the whole run arrives on the socket that did not send it', async () => {
      const runId = await awaitRunMentioning(listener, needle, RUN_WAIT_MS);
      await awaitCompletion(listener, runId, RUN_WAIT_MS);
      await awaitCompletion(sender, runId, RUN_WAIT_MS);
      expect(listener).toHaveCompleteRun({ runId, userId: session.userId });
      expect(listener.framesOfRun(runId)).toEqual(sender.framesOfRun(runId));
    });
  });
});
