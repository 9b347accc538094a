import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { upsertUser } from './db/users.ts';
import { hashPassword } from './auth/passwords.ts';
import { parseFaults } from './faults.ts';

const USAGE = 'usage: npm run service:seed -- --email <email> --password <password>   (DATABASE_URL must be set)';

const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' } } });
const input = z
  .object({
    email: z.email('--email must be an email address'),
    password: z.string('--password is required').min(8, '--password must be at least 8 characters'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be set to a postgres:// URL' }),
  })
  .safeParse({ ...values, DATABASE_URL: process.env.DATABASE_URL });
if (!input.success) {
  process.stderr.write(`seed: ${input.error.issues.map((issue) => issue.message).join('; ')}\n${USAGE}\n`);
  process.exit(2);
}

const db = createDatabase(input.data.DATABASE_URL, 10_000, parseFaults('', false));
try {
  const client = await db.pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  const user = await upsertUser(db, input.data.email, await hashPassword(input.data.password));
  process.stdout.write(
    `${user.created ? 'created' : 'updated the password of'} user ${input.data.email.toLowerCase()} (id ${user.id})\n`,
  );
} catch (error) {
  process.stderr.write(`seed: cannot seed the user: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
