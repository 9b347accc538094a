import type { Database } from './database.ts';

export interface UserRecord {
  id: string;
  email: string;
  password_hash: string;
}

export function findUserByEmail(db: Database, email: string): Promise<UserRecord | undefined> {
  return db
    .query<UserRecord>('SELECT id, email, password_hash FROM users WHERE email = $1', [email.toLowerCase()])
    .then((result) => result.rows[0]);
}

/** Creates the user, or resets the password of an existing one; returns the id and whether it was created. */
export async function upsertUser(db: Database, email: string, passwordHash: string) {
  const { rows } = await db.query<{ id: string; created: boolean }>(
    `INSERT INTO users (email, password_hash) VALUES ($1, $2)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash
     RETURNING id, (xmax = 0) AS created`,
    [email.toLowerCase(), passwordHash],
  );
  return rows[0]!;
}
