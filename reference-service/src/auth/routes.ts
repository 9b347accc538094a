import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { faultMilliseconds, type Faults } from '../faults.ts';
import type { Database } from '../db/database.ts';
import { findUserByEmail } from '../db/users.ts';
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts';
import { requireAccessToken } from './bearer.ts';
import type { ProvisionTokenUser } from './provisioning.ts';
import { TokenRejectedError, type TokenService } from './tokens.ts';
import { parseBody } from '../http-errors.ts';
import { loginAnswer, type LoginResponse } from './login-response.ts';

const loginBody = z.object({ email: z.email(), password: z.string().min(1) });
const refreshBody = z.object({ refresh_token: z.string().min(1) });
const logoutBody = z.object({ refresh_token: z.string().min(1).optional() }).optional();

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    db: Database;
    tokens: TokenService;
    provisionTokenUser: ProvisionTokenUser;
    faults: Faults;
    loginDelayMs: number;
    /** LOGIN_PATH: where the password login is. */
    loginPath: string;
    loginResponse: LoginResponse;
  },
) {
  const { db, tokens, faults, loginDelayMs } = deps;
  const accessTokenRequired = requireAccessToken(tokens, deps.provisionTokenUser);
  const loginFaultLatencyMs = faults.has('login_503') ? faultMilliseconds(faults, 'login_503') : 0;

  app.post(deps.loginPath, async (request, reply) => {
    if (faults.has('login_503')) {
      await sleep(loginFaultLatencyMs);
      return reply.code(503).send({ code: 'service_unavailable', message: 'the auth service is overloaded, try again later' });
    }
    // A struggling auth service that still answers: LOGIN_DELAY_MS.
    if (loginDelayMs > 0) await sleep(loginDelayMs);
    const { email, password } = parseBody(loginBody, request.body);
    const user = await findUserByEmail(db, email);
    const passwordMatches = await verifyPassword(password, user?.password_hash ?? UNKNOWN_USER_HASH);
    if (!user || !passwordMatches) {
      return reply.code(401).send({ code: 'invalid_credentials', message: 'the email or password is wrong' });
    }
    return loginAnswer(deps.loginResponse, await tokens.issuePair(user), user);
  });

  app.get('/auth/me', { preHandler: accessTokenRequired }, async (request) => ({
    id: request.auth!.userId,
    email: request.auth!.email,
  }));

  app.post('/auth/refresh', async (request, reply) => {
    const { refresh_token } = parseBody(refreshBody, request.body);
    try {
      const claims = await tokens.verify(refresh_token, 'refresh');
      // Rotation: a refresh token works once.
      await tokens.revoke(claims);
      return await tokens.issuePair({ id: claims.userId, email: claims.email });
    } catch (error) {
      if (error instanceof TokenRejectedError) return reply.code(401).send({ code: error.code, message: error.message });
      throw error;
    }
  });

  app.post('/auth/logout', { preHandler: accessTokenRequired }, async (request, reply) => {
    const body = parseBody(logoutBody, request.body);
    await tokens.revoke(request.auth!);
    if (body?.refresh_token && !faults.has('logout_keeps_refresh_token')) {
      const refresh = await tokens.verify(body.refresh_token, 'refresh').catch(() => undefined);
      if (refresh?.userId === request.auth!.userId) await tokens.revoke(refresh);
    }
    return reply.code(204).send();
  });
}
