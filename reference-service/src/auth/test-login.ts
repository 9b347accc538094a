import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { findUserByEmail } from '../db/users.ts';
import { parseBody } from '../http-errors.ts';
import { StartupError } from '../startup-error.ts';
import { missingOauthSimulation, TEST_LOGIN_BODY_SCHEMAS, type TestLoginBody } from './test-login-body.ts';
import type { TokenService } from './tokens.ts';

export interface TestLoginSettings {
  key: string;
  path: string;
  /** An HTTP header name, as configured (e.g. X-Test-Bypass-Key). */
  header: string;
  body: TestLoginBody;
}

/** Equal keys in the same time as unequal ones, whatever their lengths: both sides are hashed first. */
function sameKey(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * A login without a password for existing users, for test runs against a deployment whose real sign-in is
 * SSO. Only registered in test mode (config.ts refuses the key otherwise).
 */
export function registerTestLoginRoute(app: FastifyInstance, deps: { db: Database; tokens: TokenService; testLogin: TestLoginSettings }) {
  const { db, tokens, testLogin } = deps;
  if (app.hasRoute({ method: 'POST', url: testLogin.path })) {
    throw new StartupError(
      'routes',
      `TEST_LOGIN_PATH ${testLogin.path} is already a route of the service`,
      'choose another TEST_LOGIN_PATH, e.g. /auth/test-login',
    );
  }
  const headerName = testLogin.header.toLowerCase();

  app.post(testLogin.path, async (request, reply) => {
    const given = request.headers[headerName];
    if (typeof given !== 'string' || !sameKey(given, testLogin.key)) {
      return reply.code(401).send({ code: 'invalid_bypass_key', message: `send the test-login key in the ${testLogin.header} header` });
    }
    const notOauth = missingOauthSimulation(testLogin.body, request.body);
    if (notOauth) return reply.code(422).send(notOauth);
    const { email } = parseBody(TEST_LOGIN_BODY_SCHEMAS[testLogin.body], request.body);
    const user = await findUserByEmail(db, email);
    if (!user) return reply.code(404).send({ code: 'user_not_found', message: `no user has the email ${email}; create it first (npm run service:seed)` });
    return { ...(await tokens.issuePair(user)), user: { id: user.id, email: user.email } };
  });
}
