import type { Database } from '../db/database.ts';
import { createUserProvisioning } from '../db/users.ts';
import { TokenRejectedError, type TokenClaims } from './tokens.ts';

/**
 * Called with the claims of every access token the service accepts, before it acts for the token's user;
 * throws TokenRejectedError when the token must be refused after all.
 */
export type ProvisionTokenUser = (claims: TokenClaims) => Promise<void>;

/** PROVISION_USERS_FROM_TOKENS off: a token acts for its `sub` whether or not that user has a row. */
export const provisioningOff: ProvisionTokenUser = async () => {};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Ids known to have a row skip the database; a load run's thousand sockets of the same users cost no query each.
const KNOWN_USERS_LIMIT = 10_000;

/**
 * Just-in-time provisioning (PROVISION_USERS_FROM_TOKENS): the first valid access token of an unknown user
 * creates them, as services that trust an identity provider do. Users are never deleted by the service,
 * so an id once known to have a row keeps it.
 */
export function createUserProvisioner(db: Database): ProvisionTokenUser {
  const knownUsers = new Set<string>();
  const provisionUser = createUserProvisioning(db);

  return async (claims) => {
    if (knownUsers.has(claims.userId)) return;
    if (!UUID.test(claims.userId)) {
      throw new TokenRejectedError('invalid_token', 'the token\'s "sub" is not a UUID, so no user can be provisioned for it');
    }
    if ((await provisionUser(claims)) === 'email_taken') {
      throw new TokenRejectedError('invalid_token', "the token's email belongs to another user");
    }
    if (knownUsers.size >= KNOWN_USERS_LIMIT) knownUsers.delete(knownUsers.values().next().value!);
    knownUsers.add(claims.userId);
  };
}
