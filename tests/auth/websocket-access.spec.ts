import { test, expect } from '../../fixtures/index.ts';
import { awaitWelcome } from '../../support/golden-path/run-observer.ts';
import { fetchTicket, signIn } from '../../support/session.ts';
import { inStage } from '../../support/verdict/stages.ts';
import { isAuthRefusal, isRefused, refusalOf } from '../../support/ws/refusal.ts';

// A security check that passes on a second try has still let a bad credential in once.
test.describe.configure({ retries: 0 });

test.describe('WebSocket access', { tag: ['@smoke'] }, () => {
  for (const transport of ['subprotocol', 'header', 'query', 'ticket'] as const) {
    test(`a good token over the ${transport} transport opens a socket welcomed for this user`, async ({ chatService, testUser, chatSocket }) => {
      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser));
      await inStage('websocket', `the ${transport} transport is accepted`, async () => {
        const socket = await chatSocket.open(session.accessToken, { transport });
        await expect(awaitWelcome(socket, 5000)).resolves.toMatchObject({ user_id: session.userId });
      });
    });
  }

  test('a socket from a foreign Origin is refused', async ({ chatService, testUser, chatSocket }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser));
    await inStage('security', 'an upgrade with Origin https://evil.example is refused', async () => {
      const socket = await chatSocket.open(session.accessToken, { transport: 'header', origin: 'https://evil.example' });
      const refusal = await refusalOf(socket);
      expect(isRefused(refusal), `the server answered: ${JSON.stringify(refusal)}`).toBe(true);
      expect(socket.types()).toEqual([]);
    });
  });

  test('a ticket opens one socket, and is refused the second time', async ({ chatService, testUser, chatSocket }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser));
    const ticket = await inStage('auth', 'a ticket is issued', () => fetchTicket(chatService.baseUrl, session.accessToken));
    await inStage('websocket', 'the ticket opens a socket', async () => {
      await awaitWelcome(chatSocket.connect({ transport: 'ticket', ticket }), 5000);
    });
    await inStage('security', 'the same ticket is refused the second time, with no event', async () => {
      const replay = chatSocket.connect({ transport: 'ticket', ticket });
      const refusal = await refusalOf(replay);
      expect(isAuthRefusal(refusal), `the server answered: ${JSON.stringify(refusal)}`).toBe(true);
      expect(replay.types()).toEqual([]);
    });
  });
});
