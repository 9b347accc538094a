import { readFileSync } from 'node:fs';
import { registerSecret } from '../evidence/secrets.ts';
import type { LoadUser } from './concurrent-runs.ts';

/**
 * Accounts `start` to `start + count` of a LOAD_USERS_FILE (one "email,password" per line), so that the
 * slices of a distributed run each log in with their own. Every password is registered as a secret.
 */
export function readAccountsFile(file: string, start: number, count: number): LoadUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`LOAD_USERS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): point it at a file of "email,password" lines`);
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < start + count) {
    throw new Error(`LOAD_USERS_FILE ${file} has ${lines.length} account(s), and this run needs ${start + count}: add accounts or ask for fewer users`);
  }
  return lines.slice(start, start + count).map((line, index) => {
    const comma = line.indexOf(',');
    if (comma < 1) throw new Error(`LOAD_USERS_FILE ${file} line ${start + index + 1} is not "email,password"`);
    const password = line.slice(comma + 1);
    registerSecret(password);
    return { email: line.slice(0, comma).trim(), password };
  });
}

/** Users `start` to `start + count` for an external target: the accounts of LOAD_USERS_FILE. */
export function externalLoadUsers(env: NodeJS.ProcessEnv, start: number, count: number): LoadUser[] {
  if (!env.LOAD_USERS_FILE) throw new Error('LOAD_USERS_FILE is not set: an external target needs its accounts, one "email,password" per line');
  return readAccountsFile(env.LOAD_USERS_FILE, start, count);
}
