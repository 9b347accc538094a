import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { registerSecret } from './evidence/secrets.ts';

const SEED_ENTRY = fileURLToPath(new URL('../reference-service/src/seed.ts', import.meta.url));
const run = promisify(execFile);

/** Creates (or resets) a user through the reference service's own seed command; returns the user id. */
export async function seedUser(databaseUrl: string, email: string, password: string): Promise<string> {
  let stdout: string;
  try {
    // `--password=` keeps a password that starts with '-' from reading as an option.
    ({ stdout } = await run(process.execPath, ['--import', 'tsx', SEED_ENTRY, `--email=${email}`, `--password=${password}`], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
      timeout: 20_000,
    }));
  } catch (error) {
    // The failed command line holds the password: report only what the command said.
    const { stderr, code } = error as { stderr?: string; code?: unknown };
    throw new Error(`Could not seed user ${email} (exit ${String(code)}): ${stderr?.trim() || 'no output'}`);
  }
  const id = /\(id ([0-9a-f-]{36})\)/.exec(stdout)?.[1];
  if (!id) throw new Error(`the seed command printed no user id: ${stdout}`);
  return id;
}

/** Seeds a user with a unique email and a random password. */
export async function seedFreshUser(databaseUrl: string): Promise<{ id: string; email: string; password: string }> {
  const email = `user-${randomUUID()}@golden-path.test`;
  const password = randomBytes(12).toString('base64url');
  registerSecret(password);
  return { id: await seedUser(databaseUrl, email, password), email, password };
}

/**
 * Seeds `count` fresh users in one run of the seed command (its --users-file), hashing their passwords in
 * parallel: seconds for a hundred, where one command per user takes half a second each. The file of
 * passwords lives in a private temp folder for the duration of the command only.
 */
export async function seedFreshUsers(databaseUrl: string, count: number): Promise<Array<{ id: string; email: string; password: string }>> {
  const users = Array.from({ length: count }, () => ({ email: `user-${randomUUID()}@golden-path.test`, password: randomBytes(12).toString('base64url') }));
  for (const { password } of users) registerSecret(password);
  const folder = mkdtempSync(join(tmpdir(), 'golden-path-seed-'));
  const file = join(folder, 'users.csv');
  writeFileSync(file, users.map(({ email, password }) => `${email},${password}`).join('\n'), { mode: 0o600 });
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, ['--import', 'tsx', SEED_ENTRY, `--users-file=${file}`], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: unknown };
    throw new Error(`Could not seed ${count} users (exit ${String(code)}): ${stderr?.trim() || 'no output'}`);
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
