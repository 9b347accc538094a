import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { registerSecret } from '../evidence/redaction/secrets.ts';

const SEED_ENTRY = fileURLToPath(new URL('../../reference-service/src/seed.ts', import.meta.url));
const run = promisify(execFile);

/**
 * Runs the reference service's own seed command and returns what it printed. On failure only the
 * command's own words are reported: its command line holds passwords.
 */
async function runSeedCommand(databaseUrl: string, args: string[], what: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SEED_ENTRY, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: unknown };
    throw new Error(`Could not seed ${what} (exit ${String(code)}): ${stderr?.trim() || 'no output'}`);
  }
}

/** A unique email and a random password, registered as a secret of the run. */
function freshAccount(): { email: string; password: string } {
  const account = { email: `user-${randomUUID()}@golden-path.test`, password: randomBytes(12).toString('base64url') };
  registerSecret(account.password);
  return account;
}

/** Creates (or resets) a user through the reference service's own seed command; returns the user id. */
export async function seedUser(databaseUrl: string, email: string, password: string): Promise<string> {
  // `--password=` keeps a password that starts with '-' from reading as an option.
  const stdout = await runSeedCommand(databaseUrl, [`--email=${email}`, `--password=${password}`], `user ${email}`, 20_000);
  const id = /\(id ([0-9a-f-]{36})\)/.exec(stdout)?.[1];
  if (!id) throw new Error(`the seed command printed no user id: ${stdout}`);
  return id;
}

/**
 * Seeds `count` fresh users in one run of the seed command (its --users-file), hashing their passwords in
 * parallel: seconds for a hundred, where one command per user takes half a second each. The file of
 * passwords lives in a private temp folder for the duration of the command only.
 */
export async function seedFreshUsers(databaseUrl: string, count: number): Promise<Array<{ id: string; email: string; password: string }>> {
  const users = Array.from({ length: count }, freshAccount);
  const folder = mkdtempSync(join(tmpdir(), 'golden-path-seed-'));
  const file = join(folder, 'users.csv');
  writeFileSync(file, users.map(({ email, password }) => `${email},${password}`).join('\n'), { mode: 0o600 });
  let stdout: string;
  try {
    stdout = await runSeedCommand(databaseUrl, [`--users-file=${file}`], `${count} users`, 120_000);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const ids = new Map([...stdout.matchAll(/user (\S+) \(id ([0-9a-f-]{36})\)/g)].map(([, email, id]) => [email!, id!]));
  return users.map((user) => {
    const id = ids.get(user.email);
    if (!id) throw new Error(`the seed command printed no id for ${user.email}`);
    return { id, ...user };
  });
}
