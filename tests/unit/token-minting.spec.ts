import { test, expect } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyOptions } from 'jose';
import { INVALID_TOKEN_KINDS, TokenMinter, type TokenKind } from '../../support/client/tokens.ts';

const SECRET = 'golden-path-unit-test-secret-0123456789';
const KEY = new TextEncoder().encode(SECRET);
const NOW = new Date('2026-01-01T00:00:00Z');
const IAT = NOW.getTime() / 1000;
const SUBJECT = { id: 'user-1', email: 'alice@example.com' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The claims of the valid token at the frozen clock; each invalid kind changes only what makes it invalid. */
const VALID_CLAIMS = {
  sub: 'user-1',
  email: 'alice@example.com',
  iss: 'netra-auth-service',
  aud: 'netra-platform',
  iat: IAT,
  exp: IAT + 3600,
  jti: expect.stringMatching(UUID),
  token_type: 'access',
};

/** What a contract-abiding service checks, on the frozen clock. */
const VERIFY: JWTVerifyOptions = {
  issuer: 'netra-auth-service',
  audience: 'netra-platform',
  algorithms: ['HS256'],
  requiredClaims: ['exp'],
  currentDate: NOW,
};

const minter = new TokenMinter(SECRET, () => NOW);
const mint = (kind: TokenKind) => minter.mint(kind, SUBJECT);

test.describe('TokenMinter', () => {
  test('a valid token verifies with the contract’s claims', async () => {
    const token = await mint('valid');

    const { payload, protectedHeader } = await jwtVerify(token, KEY, VERIFY);

    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual(VALID_CLAIMS);
  });

  test('every token has its own jti', async () => {
    const [first, second] = await Promise.all([mint('valid'), mint('valid')]);

    expect(decodeJwt(first).jti).not.toBe(decodeJwt(second).jti);
  });

  const rejected: Array<{
    kind: TokenKind;
    error: new (...args: never[]) => errors.JOSEError;
    code: string;
    message: string;
    claims?: Record<string, unknown>;
  }> = [
    {
      kind: 'expired',
      error: errors.JWTExpired,
      code: 'ERR_JWT_EXPIRED',
      message: '"exp" claim timestamp check failed',
      claims: { iat: IAT - 7200, exp: IAT - 3600 },
    },
    {
      kind: 'not_yet_valid',
      error: errors.JWTClaimValidationFailed,
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: '"nbf" claim timestamp check failed',
      claims: { nbf: IAT + 3600 },
    },
    {
      kind: 'wrong_signature',
      error: errors.JWSSignatureVerificationFailed,
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      message: 'signature verification failed',
    },
    {
      kind: 'alg_none',
      error: errors.JOSEAlgNotAllowed,
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
      message: '"alg" (Algorithm) Header Parameter value not allowed',
    },
    {
      kind: 'wrong_issuer',
      error: errors.JWTClaimValidationFailed,
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: 'unexpected "iss" claim value',
      claims: { iss: 'someone-else' },
    },
    {
      kind: 'wrong_audience',
      error: errors.JWTClaimValidationFailed,
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: 'unexpected "aud" claim value',
      claims: { aud: 'another-platform' },
    },
    {
      kind: 'missing_exp',
      error: errors.JWTClaimValidationFailed,
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: 'missing required "exp" claim',
      claims: { exp: undefined },
    },
  ];

  for (const { kind, error, code, message, claims } of rejected) {
    test(`the ${kind} token is rejected with ${code}: ${message}`, async () => {
      const token = await mint(kind);

      const failure = await jwtVerify(token, KEY, VERIFY).then(
        () => undefined,
        (reason: unknown) => reason,
      );

      expect(failure).toBeInstanceOf(error);
      expect(failure).toMatchObject({ code, message });
      // Apart from what makes it invalid, the token is the valid one.
      const expected: Record<string, unknown> = { ...VALID_CLAIMS, ...claims };
      for (const [name, value] of Object.entries(expected)) if (value === undefined) delete expected[name];
      expect(decodeJwt(token)).toEqual(expected);
    });
  }

  test('an alg_none token says alg none in its header and carries no signature', async () => {
    const token = await mint('alg_none');

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'none' });
    expect(token.split('.')[2]).toBe('');
  });

  test('a wrong_signature token is signed with HS256, just not with the secret', async () => {
    expect(decodeProtectedHeader(await mint('wrong_signature'))).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  test('a missing_exp token passes a verifier that does not require exp, which is why services must', async () => {
    const { requiredClaims: _required, ...lenient } = VERIFY;

    await expect(jwtVerify(await mint('missing_exp'), KEY, lenient)).resolves.toBeTruthy();
  });

  test('a refresh_as_access token verifies, and only its token_type tells it apart', async () => {
    const { payload } = await jwtVerify(await mint('refresh_as_access'), KEY, VERIFY);

    expect(payload.token_type).toBe('refresh');
    expect(payload).toMatchObject({ sub: 'user-1', iss: 'netra-auth-service', aud: 'netra-platform', exp: IAT + 3600 });
  });

  test('every invalid kind is covered above', () => {
    expect([...rejected.map(({ kind }) => kind), 'refresh_as_access']).toEqual([...INVALID_TOKEN_KINDS]);
  });
});
