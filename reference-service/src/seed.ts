import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { upsertUser } from './db/users.ts';
import { hashPassword } from './auth/passwords.ts';
import { parseFaults } from './faults.ts';

const USAGE =
  'usage: npm run service:seed -- --email <email> --password <password>\n' +
  '       npm run service:seed -- --users-file <file>   (one "email,password" per line, for many users at once)\n' +
  '(DATABASE_URL must be set)';

const account = z.object({
  email: z.email('must be an email address'),
  password: z.string('is required').min(8, 'must be at least 8 characters'),
});

const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, 'users-file': { type: 'string' } } });
const databaseUrl = z.url({ protocol: /^postgres(ql)?$/ }).safeParse(process.env.DATABASE_URL);
const problems: string[] = [];
const accounts: Array<z.infer<typeof account>> = [];
if (values['users-file'] !== undefined) {
  if (values.email !== undefined || values.password !== undefined) problems.push('give either --users-file or --email/--password, not both');
  let lines: string[] = [];
  try {
    lines = readFileSync(values['users-file'], 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch (error) {
    problems.push(`cannot read --users-file: ${(error as Error).message}`);
  }
  lines.forEach((line, index) => {
    const comma = line.indexOf(',');
    const parsed = account.safeParse({ email: line.slice(0, comma).trim(), password: comma < 0 ? undefined : line.slice(comma + 1) });
    if (parsed.success) accounts.push(parsed.data);
    else problems.push(`line ${index + 1} of --users-file: ${parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join('; ')}`);
  });
} else {
  const parsed = account.safeParse(values);
  if (parsed.success) accounts.push(parsed.data);
  else problems.push(...parsed.error.issues.map((issue) => `--${String(issue.path[0])} ${issue.message}`));
}
if (!databaseUrl.success) problems.push('DATABASE_URL must be set to a postgres:// URL');
if (problems.length > 0 || !databaseUrl.success) {
  process.stderr.write(`seed: ${problems.join('; ')}\n${USAGE}\n`);
  process.exit(2);
}

const db = createDatabase(databaseUrl.data, 10_000, parseFaults('', false));
try {
  const client = await db.pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  // Hashes run on libuv's thread pool: many at once use every core.
  const hashes = await Promise.all(accounts.map(({ password }) => hashPassword(password)));
  for (const [index, { email }] of accounts.entries()) {
    const user = await upsertUser(db, email, hashes[index]!);
    process.stdout.write(`${user.created ? 'created' : 'updated the password of'} user ${email.toLowerCase()} (id ${user.id})\n`);
  }
} catch (error) {
  process.stderr.write(`seed: cannot seed the user(s): ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
