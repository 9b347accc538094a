import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Redis } from 'ioredis';
import type { Faults } from '../faults.ts';

export const TOKEN_ISSUER = 'netra-auth-service';
export const TOKEN_AUDIENCE = 'netra-platform';
const ALGORITHM = 'HS256';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  userId: string;
  email: string;
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
}

export class TokenRejectedError extends Error {
  constructor(
    readonly code: 'invalid_token' | 'token_expired' | 'token_revoked',
    message: string,
  ) {
    super(message);
  }
}

export interface TokenService {
  issuePair(user: { id: string; email: string }): Promise<{
    access_token: string;
    refresh_token: string;
    token_type: 'Bearer';
    expires_in: number;
  }>;
  /** Verifies signature, algorithm, issuer, audience, expiry, type and revocation; throws TokenRejectedError. */
  verify(token: string, expectedType: TokenType): Promise<TokenClaims>;
  revoke(claims: TokenClaims): Promise<void>;
}

const revokedKey = (jti: string) => `revoked_token:${jti}`;

export function createTokenService(options: {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  faults: Faults;
  redis: Redis;
}): TokenService {
  const key = new TextEncoder().encode(options.secret);
  const { faults, redis } = options;

  const sign = (user: { id: string; email: string }, type: TokenType, ttlSeconds: number) =>
    new SignJWT({ email: user.email, token_type: type })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(key);

  async function verifiedPayload(token: string): Promise<JWTPayload> {
    let algorithm: unknown;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new TokenRejectedError('invalid_token', 'the token is not a well-formed JWT');
    }
    if (algorithm === 'none') {
      if (!faults.has('accept_alg_none')) {
        throw new TokenRejectedError('invalid_token', 'unsigned tokens (alg: none) are not accepted');
      }
      return decodeJwt(token);
    }
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: faults.has('accept_wrong_audience') ? undefined : TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        // jose checks "exp" after signature, issuer and audience, so the payload is otherwise valid.
        if (faults.has('accept_expired_token')) return error.payload;
        throw new TokenRejectedError('token_expired', 'the token has expired');
      }
      if (error instanceof errors.JOSEError) throw new TokenRejectedError('invalid_token', error.message);
      throw error;
    }
  }

  return {
    async issuePair(user) {
      const [access, refresh] = await Promise.all([sign(user, 'access', options.accessTtlSeconds), sign(user, 'refresh', options.refreshTtlSeconds)]);
      return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: options.accessTtlSeconds };
    },

    async verify(token, expectedType) {
      const payload = await verifiedPayload(token);
      if (payload.token_type !== expectedType) {
        throw new TokenRejectedError('invalid_token', `token_type is ${JSON.stringify(payload.token_type)}, expected "${expectedType}"`);
      }
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') {
        throw new TokenRejectedError('invalid_token', 'the token lacks the "sub" or "email" claim');
      }
      const jti = typeof payload.jti === 'string' ? payload.jti : '';
      if (jti && (await redis.exists(revokedKey(jti)))) {
        throw new TokenRejectedError('token_revoked', 'the token has been revoked');
      }
      return { userId: payload.sub, email: payload.email, jti, exp: payload.exp ?? 0 };
    },

    async revoke(claims) {
      const secondsLeft = claims.exp - Math.floor(Date.now() / 1000);
      if (claims.jti && secondsLeft > 0) await redis.set(revokedKey(claims.jti), '1', 'EX', secondsLeft);
    },
  };
}
