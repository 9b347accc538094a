import { test, expect } from '../../fixtures/index.ts';
import { requestJson } from '../../support/client/http.ts';
import { requestTicket, signIn } from '../../support/client/session.ts';
import { INVALID_TOKEN_DESCRIPTIONS, INVALID_TOKEN_KINDS } from '../../support/client/tokens.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

// A security check that passes on a second try has still let a bad credential in once.
test.describe.configure({ retries: 0 });

test.describe('bad tokens are refused', { tag: ['@smoke'] }, () => {
  test('a request with no token at all is refused by HTTP', async ({ chatService, settings }) => {
    await inStage('security', 'GET /auth/me with no token answers 401', async () => {
      const response = await requestJson('GET', `${chatService.authUrl}/auth/me`);
      expect(response.status, `GET /auth/me answered ${response.status} ${JSON.stringify(response.body)}`).toBe(401);
    });
    if (settings.wsAuthAccepted.includes('ticket')) {
      await inStage('security', `POST ${settings.ticket.path} with no token answers 401`, async () => {
        const response = await requestTicket(chatService.baseUrl, undefined, settings.ticket);
        expect(response.status, `POST ${settings.ticket.path} answered ${response.status} ${JSON.stringify(response.body)}`).toBe(401);
      });
    }
  });

  for (const kind of INVALID_TOKEN_KINDS) {
    const badToken = INVALID_TOKEN_DESCRIPTIONS[kind];

    test(`${badToken} is refused by HTTP and by the WebSocket`, async ({ chatService, testUser, tokens, chatSocket, settings }) => {
      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
      const token = await tokens.mint(kind, { id: session.userId, email: testUser.email });

      await inStage('security', `GET /auth/me with ${badToken} answers 401`, async () => {
        const response = await requestJson('GET', `${chatService.authUrl}/auth/me`, { token });
        expect(response.status, `GET /auth/me answered ${response.status} ${JSON.stringify(response.body)}`).toBe(401);
      });
      const transport = settings.wsAuth;
      if (transport === 'ticket') {
        // A ticket-only service's WebSocket door is the ticket endpoint: the bad token must not buy a ticket.
        await inStage('security', `POST ${settings.ticket.path} with ${badToken} answers 401`, async () => {
          const response = await requestTicket(chatService.baseUrl, token, settings.ticket);
          expect(response.status, `POST ${settings.ticket.path} answered ${response.status} ${JSON.stringify(response.body)}`).toBe(401);
        });
      } else {
        await inStage('security', `the WebSocket refuses ${badToken} over ${transport}, with no welcome and no event`, async () => {
          await expect(chatSocket.connect({ transport, token })).toBeRefused();
        });
      }
    });
  }
});
