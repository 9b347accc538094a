import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProvisionTokenUser } from './provisioning.ts';
import { TokenRejectedError, type TokenClaims, type TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: TokenClaims;
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** A preHandler that admits requests with a valid access token and answers 401 with the reason otherwise. */
export function requireAccessToken(tokens: TokenService, provisionTokenUser: ProvisionTokenUser) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      return reply.code(401).send({ code: 'missing_token', message: 'send an access token as "Authorization: Bearer <token>"' });
    }
    try {
      const claims = await tokens.verify(token, 'access');
      await provisionTokenUser(claims);
      request.auth = claims;
    } catch (error) {
      if (error instanceof TokenRejectedError) return reply.code(401).send({ code: error.code, message: error.message });
      throw error;
    }
  };
}
