import { NO_PASSWORD_HASH } from '../auth/passwords.ts';
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

/** `exists`: the id has a users row now (made here or before); `email_taken`: another id holds the email, so none was made. */
export type ProvisionOutcome = 'exists' | 'email_taken';

/**
 * Gives the user an access token names a users row, with the token's email and no password, unless the id
 * has one. Safe to call at once for the same new user: one insert wins, the others find its row.
 */
export async function provisionUser(db: Database, claims: { userId: string; email: string }): Promise<ProvisionOutcome> {
  const inserted = await db.query(
    'INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
    [claims.userId, claims.email.toLowerCase(), NO_PASSWORD_HASH],
  );
  if (inserted.rowCount === 1) return 'exists';
  // The conflict was on the id or on the email. A statement of its own: its snapshot sees the row that a
  // concurrent insert of the same id committed while this one waited on it.
  const existing = await db.query('SELECT 1 FROM users WHERE id = $1', [claims.userId]);
  return existing.rowCount === 1 ? 'exists' : 'email_taken';
}
