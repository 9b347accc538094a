import { test, expect } from '../../fixtures/index.ts';
import { awaitWelcome, expectWelcomedAs } from '../../support/golden-path/run-observer.ts';
import { fetchTicket, requestTicket, signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { webSocketUrlsToProbe } from '../../support/ws/paths.ts';
import { WS_AUTH_TRANSPORTS } from '../../support/ws/recording-socket.ts';

// A security check that passes on a second try has still let a bad credential in once.
test.describe.configure({ retries: 0 });

test.describe('WebSocket access', { tag: ['@smoke'] }, () => {
  for (const transport of WS_AUTH_TRANSPORTS) {
    test(`a good token over the ${transport} transport is welcomed where the target accepts it, refused where not`, async ({
      chatService,
      testUser,
      chatSocket,
      settings,
    }) => {
      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
      if (settings.wsAuthAccepted.includes(transport)) {
        await inStage('websocket', `the ${transport} transport is accepted`, async () => {
          const welcome = await awaitWelcome(await chatSocket.open(session.accessToken, { transport }), 5000);
          expectWelcomedAs(welcome, session.userId);
        });
      } else {
        if (transport === 'ticket') {
          const offered = await requestTicket(chatService.baseUrl, session.accessToken, settings.ticket);
          test.skip(offered.status === 404, 'the target has no ticket endpoint and WS_AUTH_ACCEPTED leaves tickets out: there is no ticket to refuse');
        }
        // A transport the deploy is meant to strip (say, Authorization at the load balancer) must not get through another way.
        await inStage('security', `the ${transport} transport, which WS_AUTH_ACCEPTED leaves out, is refused`, async () => {
          await expect(await chatSocket.open(session.accessToken, { transport })).toBeRefused();
        });
      }
    });
  }

  test('a socket with no credential is refused on every WebSocket path the target serves', async ({ chatService, testUser, chatSocket, settings }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    const [configured, ...aliases] = webSocketUrlsToProbe(chatService.wsUrl);
    // An alias counts as served when it welcomes the user's good token: a demo door left open is often the one nobody configured.
    const served = [configured!];
    for (const url of aliases) {
      const welcomed = await awaitWelcome(await chatSocket.open(session.accessToken, { url }), 5000).then(
        () => true,
        () => false,
      );
      if (welcomed) served.push(url);
      else test.info().annotations.push({ type: 'not served', description: `${new URL(url).pathname} did not welcome a good token; not probed` });
    }
    for (const url of served) {
      await inStage('security', `a socket on ${new URL(url).pathname} with no credential is refused, with no welcome and no event`, async () => {
        await expect(chatSocket.connect({ transport: 'none' }, { url })).toBeRefused();
      });
    }
  });

  test('a socket from a foreign Origin is refused', async ({ chatService, testUser, chatSocket, settings }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    await inStage('security', 'an upgrade with Origin https://evil.example is refused', async () => {
      // Over the transport the target accepts, so that only the Origin can be the reason for a refusal.
      await expect(await chatSocket.open(session.accessToken, { origin: 'https://evil.example' })).toBeRefused();
    });
  });

  test('a ticket opens one socket, and is refused the second time', async ({ chatService, testUser, chatSocket, settings }) => {
    test.skip(!settings.wsAuthAccepted.includes('ticket'), 'the target does not take tickets (WS_AUTH_ACCEPTED)');
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    const ticket = await inStage('auth', 'a ticket is issued', () => fetchTicket(chatService.baseUrl, session.accessToken, settings.ticket));
    await inStage('websocket', 'the ticket opens a socket', async () => {
      await awaitWelcome(chatSocket.connect({ transport: 'ticket', ticket }), 5000);
    });
    await inStage('security', 'the same ticket is refused the second time, with no event', async () => {
      await expect(chatSocket.connect({ transport: 'ticket', ticket })).toBeRefused();
    });
  });
});
