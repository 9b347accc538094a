import { randomBytes, randomUUID } from 'node:crypto';
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
