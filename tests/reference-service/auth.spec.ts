import { decodeJwt, decodeProtectedHeader } from 'jose';
import { test, expect } from '../../fixtures/index.ts';
import { passwordLogin, requestJson } from '../../support/client/http.ts';
import { INVALID_TOKEN_DESCRIPTIONS, INVALID_TOKEN_KINDS, TOKEN_AUDIENCE, TOKEN_ISSUER, TokenMinter, type TokenKind } from '../../support/client/tokens.ts';

/** What the service answers for each token it must refuse. */
const REJECTIONS: Record<Exclude<TokenKind, 'valid'>, { code: string; message: RegExp }> = {
  expired: { code: 'token_expired', message: /expired/ },
  not_yet_valid: { code: 'invalid_token', message: /"nbf" claim timestamp check failed/ },
  wrong_signature: { code: 'invalid_token', message: /signature verification failed/ },
  alg_none: { code: 'invalid_token', message: /alg: none/ },
  wrong_issuer: { code: 'invalid_token', message: /unexpected "iss" claim value/ },
  wrong_audience: { code: 'invalid_token', message: /unexpected "aud" claim value/ },
  missing_exp: { code: 'invalid_token', message: /missing required "exp" claim/ },
  refresh_as_access: { code: 'invalid_token', message: /token_type is "refresh", expected "access"/ },
};

test.describe('login', () => {
  test('returns a token pair whose access token carries the contract claims', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const response = await requestJson('POST', `${referenceService.baseUrl}/auth/login`, { body: { email: user.email, password: user.password } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email: user.email } });
    expect(decodeProtectedHeader(response.body.access_token)).toMatchObject({ alg: 'HS256' });
    const claims = decodeJwt(response.body.access_token);
    expect(claims).toMatchObject({ sub: user.id, email: user.email, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, token_type: 'access' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwt(response.body.refresh_token)).toMatchObject({ token_type: 'refresh', sub: user.id });
  });

  test('refuses a wrong password and an unknown email alike', async ({ referenceService, createUser }) => {
    const user = await createUser();
    for (const credentials of [
      { email: user.email, password: `${user.password}x` },
      { email: `nobody-${user.email}`, password: user.password },
    ]) {
      const response = await requestJson('POST', `${referenceService.baseUrl}/auth/login`, { body: credentials });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ code: 'invalid_credentials', message: expect.any(String) });
    }
  });

  test('answers 400 naming the field when the body is malformed', async ({ referenceService }) => {
    const response = await requestJson('POST', `${referenceService.baseUrl}/auth/login`, { body: { email: 'not-an-email' } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_request');
    expect(response.body.message).toMatch(/email/);
    expect(response.body.message).toMatch(/password/);
  });
});

test.describe('access tokens', () => {
  test('a valid token reads the caller from /auth/me', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const { access_token } = await passwordLogin(referenceService.baseUrl, user);
    const response = await requestJson('GET', `${referenceService.baseUrl}/auth/me`, { token: access_token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: user.id, email: user.email });
  });

  test('a request without a token is refused', async ({ referenceService }) => {
    const response = await requestJson('GET', `${referenceService.baseUrl}/auth/me`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('missing_token');
  });

  for (const kind of INVALID_TOKEN_KINDS) {
    test(`${INVALID_TOKEN_DESCRIPTIONS[kind]} is refused with its reason`, async ({ referenceService, createUser }) => {
      const user = await createUser();
      const token = await new TokenMinter(referenceService.jwtSecret).mint(kind, user);
      const response = await requestJson('GET', `${referenceService.baseUrl}/auth/me`, { token });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(REJECTIONS[kind].code);
      expect(response.body.message).toMatch(REJECTIONS[kind].message);
    });
  }

  test('a token minted with the right secret but no prior login is accepted', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const token = await new TokenMinter(referenceService.jwtSecret).mint('valid', user);
    const response = await requestJson('GET', `${referenceService.baseUrl}/auth/me`, { token });
    expect(response.status).toBe(200);
  });
});

test.describe('refresh and logout', () => {
  test('a refresh token is exchanged once for a new pair', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const first = await passwordLogin(referenceService.baseUrl, user);

    const refreshed = await requestJson('POST', `${referenceService.baseUrl}/auth/refresh`, { body: { refresh_token: first.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    const me = await requestJson('GET', `${referenceService.baseUrl}/auth/me`, { token: refreshed.body.access_token });
    expect(me.body).toEqual({ id: user.id, email: user.email });

    const replayed = await requestJson('POST', `${referenceService.baseUrl}/auth/refresh`, { body: { refresh_token: first.refresh_token } });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('token_revoked');
  });

  test('an access token cannot be used as a refresh token', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const { access_token } = await passwordLogin(referenceService.baseUrl, user);
    const response = await requestJson('POST', `${referenceService.baseUrl}/auth/refresh`, { body: { refresh_token: access_token } });
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/token_type is "access", expected "refresh"/);
  });

  test('logout revokes the access and refresh tokens', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const tokens = await passwordLogin(referenceService.baseUrl, user);
    const logout = await requestJson('POST', `${referenceService.baseUrl}/auth/logout`, {
      token: tokens.access_token,
      body: { refresh_token: tokens.refresh_token },
    });
    expect(logout.status).toBe(204);

    const me = await requestJson('GET', `${referenceService.baseUrl}/auth/me`, { token: tokens.access_token });
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('token_revoked');
    const refresh = await requestJson('POST', `${referenceService.baseUrl}/auth/refresh`, { body: { refresh_token: tokens.refresh_token } });
    expect(refresh.status).toBe(401);
  });
});
