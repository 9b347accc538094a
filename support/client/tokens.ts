import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';

export const TOKEN_ISSUER = 'netra-auth-service';
export const TOKEN_AUDIENCE = 'netra-platform';

/** Every kind of token a contract-abiding service must refuse, beside the one it must accept. */
export const INVALID_TOKEN_KINDS = [
  'expired',
  'not_yet_valid',
  'wrong_signature',
  'alg_none',
  'wrong_issuer',
  'wrong_audience',
  'missing_exp',
  'refresh_as_access',
] as const;

export type InvalidTokenKind = (typeof INVALID_TOKEN_KINDS)[number];
export type TokenKind = 'valid' | InvalidTokenKind;

/** Each invalid kind in words, as test titles name it. */
export const INVALID_TOKEN_DESCRIPTIONS: Record<InvalidTokenKind, string> = {
  expired: 'an expired token',
  not_yet_valid: 'a token not valid yet (nbf in the future)',
  wrong_signature: 'a token signed with the wrong key',
  alg_none: 'an unsigned token (alg: none)',
  wrong_issuer: 'a token from another issuer',
  wrong_audience: 'a token for another audience',
  missing_exp: 'a token with no exp',
  refresh_as_access: 'a refresh token used as an access token',
};

export interface TokenSubject {
  id: string;
  email: string;
}

const HOUR = 3600;

/**
 * Mints HS256 JWTs with the contract's claims. The clock is injectable so unit tests can freeze it.
 */
export class TokenMinter {
  readonly #key: Uint8Array;
  readonly #otherKey = randomBytes(32);

  constructor(
    secret: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  #now(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  async mint(kind: TokenKind, subject: TokenSubject): Promise<string> {
    const now = this.#now();
    const claims: JWTPayload = {
      sub: subject.id,
      email: subject.email,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat: now,
      exp: now + HOUR,
      jti: randomUUID(),
      token_type: 'access',
    };
    let key: Uint8Array = this.#key;
    switch (kind) {
      case 'valid':
        break;
      case 'expired':
        Object.assign(claims, { iat: now - 2 * HOUR, exp: now - HOUR });
        break;
      case 'not_yet_valid':
        claims.nbf = now + HOUR;
        break;
      case 'wrong_signature':
        key = this.#otherKey;
        break;
      case 'alg_none':
        return new UnsecuredJWT(claims).encode();
      case 'wrong_issuer':
        claims.iss = 'someone-else';
        break;
      case 'wrong_audience':
        claims.aud = 'another-platform';
        break;
      case 'missing_exp':
        delete claims.exp;
        break;
      case 'refresh_as_access':
        claims.token_type = 'refresh';
        break;
    }
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  }
}
