import { test, expect } from '../../fixtures/index.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn, withAccountTurn } from '../../support/golden-path/turn.ts';
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
    // Each account's turn is its own (the two accounts are different, so the two turns still run at once).
    const turnOf = (socket: typeof firstSocket, session: typeof first, email: string) =>
      withAccountTurn(settings.target, email, async () => {
        const turn = sendTurn(socket, goldenPrompt(settings.goldenPrompt), session.userId);
        const { runId } = await awaitOwnRun(socket, turn, RUN_WAIT_MS);
        await awaitCompletion(socket, runId, RUN_WAIT_MS);
        expect(socket).toHaveCompleteRun({ runId, userId: session.userId, threadId: turn.threadId });
        return runId;
      });
    const [firstRun, secondRun] = await inStage('agent-events', 'both runs complete, each in full', () =>
      Promise.all([turnOf(firstSocket, first, testUser.email), turnOf(secondSocket, second, secondUser.email)]),
    );
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
    await inStage('agent-events', 'the whole run arrives on the socket that did not send it', () =>
      withAccountTurn(settings.target, testUser.email, async () => {
        const turn = sendTurn(sender, goldenPrompt(settings.goldenPrompt), session.userId);
        const { runId } = await awaitOwnRun(listener, { ...turn, knownRuns: new Set(listener.frames.map(({ frame }) => frame.run_id)) }, RUN_WAIT_MS);
        await awaitCompletion(listener, runId, RUN_WAIT_MS);
        await awaitCompletion(sender, runId, RUN_WAIT_MS);
        expect(listener).toHaveCompleteRun({ runId, userId: session.userId, threadId: turn.threadId });
        expect(listener.framesOfRun(runId)).toEqual(sender.framesOfRun(runId));
      }),
    );
  });
});
