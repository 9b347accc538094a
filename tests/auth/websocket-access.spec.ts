import { test, expect } from '../../fixtures/index.ts';
import { awaitWelcome } from '../../support/golden-path/run-observer.ts';
import { fetchTicket, signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { isAuthRefusal, isRefused, refusalOf } from '../../support/ws/refusal.ts';
import { WS_AUTH_TRANSPORTS } from '../../support/ws/recording-socket.ts';

// A security check that passes on a second try has still let a bad credential in once.
test.describe.configure({ retries: 0 });

test.describe('WebSocket access', { tag: ['@smoke'] }, () => {
  for (const transport of WS_AUTH_TRANSPORTS) {
    test(`a good token over the ${transport} transport is welcomed where the target accepts it, refused where not`, async ({ chatService, testUser, chatSocket, settings }) => {
      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
      if (settings.wsAuthAccepted.includes(transport)) {
        await inStage('websocket', `the ${transport} transport is accepted`, async () => {
          const socket = await chatSocket.open(session.accessToken, { transport });
          await expect(awaitWelcome(socket, 5000)).resolves.toMatchObject({ user_id: session.userId });
        });
      } else {
        // A transport the deploy is meant to strip (say, Authorization at the load balancer) must not get through another way.
        await inStage('security', `the ${transport} transport, which WS_AUTH_ACCEPTED leaves out, is refused`, async () => {
          const socket = await chatSocket.open(session.accessToken, { transport });
          const refusal = await refusalOf(socket);
          expect(isRefused(refusal), `the server answered: ${JSON.stringify(refusal)}`).toBe(true);
          expect(socket.types()).toEqual([]);
        });
      }
    });
  }

  test('a socket from a foreign Origin is refused', async ({ chatService, testUser, chatSocket, settings }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    await inStage('security', 'an upgrade with Origin https://evil.example is refused', async () => {
      // Over the transport the target accepts, so that only the Origin can be the reason for a refusal.
      const socket = await chatSocket.open(session.accessToken, { origin: 'https://evil.example' });
      const refusal = await refusalOf(socket);
      expect(isRefused(refusal), `the server answered: ${JSON.stringify(refusal)}`).toBe(true);
      expect(socket.types()).toEqual([]);
    });
  });

  test('a ticket opens one socket, and is refused the second time', async ({ chatService, testUser, chatSocket, settings }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
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
