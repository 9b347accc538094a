import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { ProvisionTokenUser } from '../auth/provisioning.ts';
import { TokenRejectedError, type TokenService } from '../auth/tokens.ts';
import type { Faults } from '../faults.ts';
import { redeemTicket } from '../tickets.ts';
import { environmentMismatchReason } from './auth-env.ts';
import { acceptedTransportsText, type WsAuthTransport } from './auth-modes.ts';
import { credentialsOf } from './credentials.ts';

export type Authentication = { ok: true; userId: string } | { ok: false; reason: string };

/** Who the accept_no_credential and relaxed_bad_token faults let in: what the real product did outside production. */
export const DEMO_USER_ID = 'demo-user-001';
export const RELAXED_USER_ID = 'relaxed-user';

export interface UpgradeAuthDeps {
  tokens: TokenService;
  provisionTokenUser: ProvisionTokenUser;
  redis: Redis;
  faults: Faults;
  allowedOrigins: readonly string[];
  acceptedTransports: readonly WsAuthTransport[];
  /** WS_AUTH_ENV: the environment every token credential must name. */
  authEnv: string | undefined;
}

/** Decides, before a socket exists, whether an upgrade request may become one and for which user. */
export function createUpgradeAuth(deps: UpgradeAuthDeps) {
  const { tokens, redis, faults } = deps;
  const accepted = acceptedTransportsText(deps.acceptedTransports);
  const noCredentialPath = faults.has('accept_no_credential') ? faults.parameter('accept_no_credential') : undefined;

  function originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    // Browsers always send Origin; other clients are not subject to cross-site attacks.
    if (origin === undefined || faults.has('accept_foreign_origin')) return true;
    const host = request.headers.host;
    return origin === `http://${host}` || origin === `https://${host}` || deps.allowedOrigins.includes(origin);
  }

  async function authenticate(request: IncomingMessage, url: URL): Promise<Authentication> {
    const offered = credentialsOf(request, url, deps.authEnv);
    // Like a proxy that strips what it does not pass on: a transport that is not accepted is never read.
    const credential = offered.find(({ transport }) => deps.acceptedTransports.includes(transport));
    if (!credential) {
      const [refused] = offered;
      if (!refused && (noCredentialPath === 'any' || noCredentialPath === url.pathname)) return { ok: true, userId: DEMO_USER_ID };
      return refused
        ? { ok: false, reason: `transport_not_accepted: credentials by ${refused.transport} are refused; ${accepted}` }
        : { ok: false, reason: `missing_credentials: send a credential; ${accepted}` };
    }
    if (credential.transport === 'ticket') {
      const holder = await redeemTicket(redis, credential.ticket);
      return holder ? { ok: true, userId: holder.userId } : { ok: false, reason: 'invalid_ticket: unknown, expired or already used' };
    }
    if (credential.unnamedEnvironment) return { ok: false, reason: environmentMismatchReason(credential.unnamedEnvironment) };
    try {
      const claims = await tokens.verify(credential.token, 'access');
      await deps.provisionTokenUser(claims);
      return { ok: true, userId: claims.userId };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      if (faults.has('relaxed_bad_token')) return { ok: true, userId: RELAXED_USER_ID };
      return { ok: false, reason: `${error.code}: ${error.message}` };
    }
  }

  return { originAllowed, authenticate };
}
