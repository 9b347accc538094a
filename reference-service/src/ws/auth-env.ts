import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/**
 * WS_AUTH_ENV: the later product's socket credentials name the environment they are for, so a staging token
 * cannot open a production socket: `jwt.<env>.<token>` (or `jwt-auth.` / `bearer.`), `?token=<t>&env=<env>`,
 * or `Authorization: Bearer <t>` with `X-Environment: <env>`.
 */
export const authEnvSetting = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be an environment name such as staging (lower-case letters, digits, -)')
  .optional();

/** The subprotocol schemes a credential may come under, in the order the later product's client tried them. */
export const ENV_SUBPROTOCOL_SCHEMES = ['jwt', 'jwt-auth', 'bearer'] as const;
const ENV_HEADER = 'x-environment';

/** A token as offered, and whether it named this environment. */
export interface EnvToken {
  token: string;
  environmentMatches: boolean;
}

/** Whether a subprotocol carries a credential under one of the schemes (`jwt.…`, `jwt-auth.…`, `bearer.…`). */
export function isCredentialSubprotocol(protocol: string): boolean {
  return ENV_SUBPROTOCOL_SCHEMES.some((scheme) => protocol.startsWith(`${scheme}.`));
}

export function tokenFromSubprotocol(protocol: string, env: string): EnvToken {
  const prefix = ENV_SUBPROTOCOL_SCHEMES.map((scheme) => `${scheme}.${env}.`).find((candidate) => protocol.startsWith(candidate));
  return prefix
    ? { token: protocol.slice(prefix.length), environmentMatches: true }
    : { token: protocol.slice(protocol.indexOf('.') + 1), environmentMatches: false };
}

export function environmentOfHeader(request: IncomingMessage): string | undefined {
  const value = request.headers[ENV_HEADER];
  return typeof value === 'string' ? value.trim() : undefined;
}

export function environmentMismatchReason(env: string): string {
  return `environment_mismatch: expected env ${env}`;
}
