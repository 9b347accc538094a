import { test, expect } from '../../fixtures/index.ts';
import { requestJson } from '../../support/client/http.ts';
import { requestPasswordLogin } from '../../support/client/session.ts';
import { valueAt } from '../../support/json/value-at.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

// A refresh token that outlived its logout once is a finding, whatever a second attempt does.
test.describe.configure({ retries: 0 });

// Not smoke: a service that ends every session of the account at logout would cut the sessions of the
// other tests that share the staging account.
test.describe('logout', () => {
  test('after POST /auth/logout the refresh token is refused; the access token is reported as revoked or live until expiry', async ({
    chatService,
    testUser,
    settings,
  }, testInfo) => {
    test.skip(settings.login.strategy === 'bypass', 'the test-login endpoint of LOGIN_STRATEGY=bypass is not the login a logout undoes');
    const tokens = await inStage('auth', 'the user logs in', async () => {
      const response = await requestPasswordLogin(chatService.baseUrl, { email: testUser.email, password: testUser.password ?? '' }, settings.login);
      expect(response.status, `POST ${settings.login.path} answered ${response.status} ${JSON.stringify(response.body)}`).toBe(200);
      return {
        access_token: valueAt(response.body, settings.login.tokenPath) as string,
        refresh_token: (response.body as { refresh_token?: unknown }).refresh_token,
      };
    });
    test.skip(typeof tokens.refresh_token !== 'string', 'the login answer carries no refresh_token: there is nothing a logout must revoke');

    const logout = await inStage('auth', 'POST /auth/logout with the refresh token', () =>
      requestJson('POST', `${chatService.authUrl}/auth/logout`, { token: tokens.access_token, body: { refresh_token: tokens.refresh_token } }),
    );
    test.skip(logout.status === 404 || logout.status === 405, `the target has no POST /auth/logout (${logout.status})`);
    await inStage('auth', 'the logout succeeds', async () =>
      expect(logout.status, `POST /auth/logout answered ${logout.status} ${JSON.stringify(logout.body)}`).toBeLessThan(300),
    );

    await inStage('security', 'POST /auth/refresh with the logged-out refresh token answers 401', async () => {
      const refresh = await requestJson('POST', `${chatService.authUrl}/auth/refresh`, { body: { refresh_token: tokens.refresh_token } });
      expect(refresh.status, `POST /auth/refresh answered ${refresh.status} ${JSON.stringify(refresh.body)} after the logout`).toBe(401);
    });
    // Stateless JWTs are often valid until they expire: a finding for the reader, not a failure.
    const me = await requestJson('GET', `${chatService.authUrl}/auth/me`, { token: tokens.access_token });
    testInfo.annotations.push({
      type: 'finding',
      description:
        me.status === 401
          ? 'the access token is revoked at logout'
          : `the access token still works after logout (GET /auth/me answered ${me.status}) until it expires`,
    });
  });
});
