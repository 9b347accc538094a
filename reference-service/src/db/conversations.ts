import type { Database } from './database.ts';

export class ThreadNotFoundError extends Error {
  readonly code = 'thread_not_found';
  constructor(threadId: string) {
    super(`thread ${threadId} does not exist or belongs to another user`);
  }
}

/** Creates the thread for this user, or checks that an existing one is theirs. */
export async function ensureThread(db: Database, threadId: string, userId: string): Promise<void> {
  const { rows } = await db.query<{ user_id: string }>(
    `INSERT INTO threads (id, user_id) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
     RETURNING user_id`,
    [threadId, userId],
  );
  if (rows[0]?.user_id !== userId) throw new ThreadNotFoundError(threadId);
}

export async function storeMessage(
  db: Database,
  message: { threadId: string; userId: string; runId: string; role: 'user' | 'assistant'; content: string },
): Promise<void> {
  await db.query('INSERT INTO messages (thread_id, user_id, run_id, role, content) VALUES ($1, $2, $3, $4, $5)', [
    message.threadId,
    message.userId,
    message.runId,
    message.role,
    message.content,
  ]);
}
