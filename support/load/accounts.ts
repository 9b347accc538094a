import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { registerSecret } from '../evidence/redaction/secrets.ts';
import { TokenMinter } from '../client/tokens.ts';
import type { LoadUser } from './types.ts';

/**
 * The accounts on the given lines (from 0) of a LOAD_USERS_FILE (one "email,password" per line), so that
 * the slices or shards of a distributed run each log in with their own. Every password is registered as a
 * secret.
 */
export function readAccountsFile(file: string, lines: readonly number[]): LoadUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `LOAD_USERS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): point it at a file of "email,password" lines`,
    );
  }
  const accounts = text.split('\n').filter((line) => line.trim() !== '');
  const needed = Math.max(0, ...lines) + 1;
  if (accounts.length < needed) {
    throw new Error(`LOAD_USERS_FILE ${file} has ${accounts.length} account(s), and this run needs ${needed}: add accounts or ask for fewer users`);
  }
  return lines.map((index) => {
    const line = accounts[index]!;
    const comma = line.indexOf(',');
    if (comma < 1) throw new Error(`LOAD_USERS_FILE ${file} line ${index + 1} is not "email,password"`);
    const password = line.slice(comma + 1);
    registerSecret(password);
    return { email: line.slice(0, comma).trim(), password };
  });
}

/**
 * Users for an external target: the accounts on the given lines of LOAD_USERS_FILE when it is set (and
 * `minted` is not asked for); otherwise, with JWT_SECRET, as many synthetic users whose access tokens are
 * minted here (no login: the target must provision a user from a valid token, as the reference service
 * does with PROVISION_USERS_FROM_TOKENS=true).
 */
export async function externalLoadUsers(env: NodeJS.ProcessEnv, lines: readonly number[], minted = false): Promise<LoadUser[]> {
  if (env.LOAD_USERS_FILE && !minted) return readAccountsFile(env.LOAD_USERS_FILE, lines);
  if (env.JWT_SECRET) return mintSyntheticUsers(env.JWT_SECRET, lines.length);
  if (minted) throw new Error('--minted-users against an external target needs JWT_SECRET, the secret its access tokens are signed with');
  throw new Error(
    'an external target needs its load users: set LOAD_USERS_FILE (one "email,password" per line), or JWT_SECRET to mint tokens for synthetic users',
  );
}

/** Users that exist only in their tokens: a fresh id and email each, and a valid access token for them (a secret of the run). */
export async function mintSyntheticUsers(jwtSecret: string, count: number): Promise<LoadUser[]> {
  const minter = new TokenMinter(jwtSecret);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const subject = { id: randomUUID(), email: `load-${randomUUID()}@golden-path.test` };
      const accessToken = await minter.mint('valid', subject);
      registerSecret(accessToken);
      return { email: subject.email, session: { userId: subject.id, accessToken } };
    }),
  );
}
