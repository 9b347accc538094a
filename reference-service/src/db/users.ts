import { NO_PASSWORD_HASH } from '../auth/passwords.ts';
import { batched, isRowError } from './batch.ts';
import type { Database } from './database.ts';

export interface UserRecord {
  id: string;
  email: string;
  password_hash: string;
}

export function findUserByEmail(db: Database, email: string): Promise<UserRecord | undefined> {
  return db.query<UserRecord>('SELECT id, email, password_hash FROM users WHERE email = $1', [email.toLowerCase()]).then((result) => result.rows[0]);
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
 * Gives the users that access tokens name a users row each, with the token's email and no password,
 * unless the id has one; the calls of one turn of the event loop make one statement (batch.ts), so a
 * thousand new users connecting at once cost one round trip, not a thousand. Safe for the same new user
 * twice at once, in one batch or in two: one insert wins, the others find its row.
 */
export function createUserProvisioning(db: Database): (claims: { userId: string; email: string }) => Promise<ProvisionOutcome> {
  return batched(async (claims: Array<{ userId: string; email: string }>) => {
    // Postgres spells a uuid in lower case; a token may not.
    const ids = claims.map(({ userId }) => userId.toLowerCase());
    const { rows: inserted } = await db.query<{ id: string }>(
      `INSERT INTO users (id, email, password_hash) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING RETURNING id`,
      [ids, claims.map(({ email }) => email.toLowerCase()), claims.map(() => NO_PASSWORD_HASH)],
    );
    const haveRows = new Set(inserted.map(({ id }) => id));
    const notInserted = ids.filter((id) => !haveRows.has(id));
    // The conflict was on the id or on the email. A statement of its own: its snapshot sees the rows that
    // concurrent inserts of the same ids committed while this one waited on them.
    if (notInserted.length > 0) {
      const { rows: existing } = await db.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[])', [notInserted]);
      for (const { id } of existing) haveRows.add(id);
    }
    return ids.map((id) => (haveRows.has(id) ? 'exists' : 'email_taken'));
  }, isRowError);
}
