import { randomBytes, randomUUID } from 'node:crypto';
import { seedUser } from '../stack/seed-user.ts';

/** Two real accounts in the service's database, as the settings of a staging target would name them. */
export async function seededAccounts(databaseUrl: string): Promise<Record<string, string>> {
  const [first, second] = [0, 1].map(() => ({ email: `self-test-${randomUUID()}@golden-path.test`, password: randomBytes(12).toString('base64url') }));
  await Promise.all([first!, second!].map((user) => seedUser(databaseUrl, user.email, user.password)));
  return { TEST_USER_EMAIL: first!.email, TEST_USER_PASSWORD: first!.password, TEST_USER2_EMAIL: second!.email, TEST_USER2_PASSWORD: second!.password };
}
