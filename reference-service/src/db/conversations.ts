import { batched, isRowError } from './batch.ts';
import type { Database } from './database.ts';

export class ThreadNotFoundError extends Error {
  readonly code = 'thread_not_found';
  constructor(threadId: string) {
    super(`thread ${threadId} does not exist or belongs to another user`);
  }
}

export interface StoredMessage {
  threadId: string;
  userId: string;
  runId: string;
  role: 'user' | 'assistant';
  content: string;
}

export interface ConversationStore {
  /**
   * Creates the thread for this user, or checks that an existing one is theirs; `anyOwner` skips that
   * check (the accept_foreign_thread fault).
   */
  ensureThread(threadId: string, userId: string, options?: { anyOwner?: boolean }): Promise<void>;
  storeMessage(message: StoredMessage): Promise<void>;
}

/** Threads and messages, each written in batches: many concurrent runs make one statement, not one each. */
export function createConversationStore(db: Database): ConversationStore {
  const claimThreads = batched(async (claims: Array<{ threadId: string; userId: string }>) => {
    // One row per thread id: ON CONFLICT cannot update a row twice in one statement. The first claim
    // creates a new thread; any other claim on it is then checked against the owner like the rest.
    const firstClaims = new Map<string, string>();
    for (const { threadId, userId } of claims) if (!firstClaims.has(threadId)) firstClaims.set(threadId, userId);
    const { rows } = await db.query<{ id: string; user_id: string }>(
      `INSERT INTO threads (id, user_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
       RETURNING id, user_id`,
      [[...firstClaims.keys()], [...firstClaims.values()]],
    );
    const owners = new Map(rows.map((row) => [row.id, row.user_id]));
    return claims.map(({ threadId }) => owners.get(threadId));
  }, isRowError);

  const insertMessages = batched(async (messages: StoredMessage[]) => {
    const column = <Key extends keyof StoredMessage>(key: Key) => messages.map((message) => message[key]);
    await db.query(
      `INSERT INTO messages (thread_id, user_id, run_id, role, content)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])`,
      [column('threadId'), column('userId'), column('runId'), column('role'), column('content')],
    );
    return messages.map(() => undefined);
  }, isRowError);

  return {
    async ensureThread(threadId, userId, options = {}) {
      const owner = await claimThreads({ threadId, userId });
      if (owner !== userId && !(options.anyOwner && owner !== undefined)) throw new ThreadNotFoundError(threadId);
    },
    storeMessage: insertMessages,
  };
}
