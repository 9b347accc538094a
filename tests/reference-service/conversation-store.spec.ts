import { randomUUID } from 'node:crypto';
import { test, expect } from '../../fixtures/index.ts';
import { createConversationStore, ThreadNotFoundError, type StoredMessage } from '../../reference-service/src/db/conversations.ts';
import { createDatabase, type Database } from '../../reference-service/src/db/database.ts';
import { parseFaults } from '../../reference-service/src/faults.ts';

/** The store on the local service's database, with every statement it sends counted. */
function countingStore(databaseUrl: string) {
  const database = createDatabase(databaseUrl, 5000, parseFaults('', false));
  const statements: string[] = [];
  const counted: Database = { ...database, query: (text, values) => (statements.push(text), database.query(text, values)) };
  return { store: createConversationStore(counted), statements, close: () => database.close() };
}

test.describe('conversation store (batched writes)', () => {
  let users: string[];

  test.beforeEach(async ({ database }) => {
    const { rows } = await database.query<{ id: string }>(
      `INSERT INTO users (email, password_hash) SELECT 'store-' || gen_random_uuid() || '@golden-path.test', 'not-a-hash' FROM generate_series(1, 3) RETURNING id`,
    );
    users = rows.map((row) => row.id);
  });

  test('a hundred runs storing at once make one statement per table, and every row is stored', async ({ containers, database }) => {
    const { store, statements, close } = countingStore(containers.databaseUrl);
    try {
      const runs = Array.from({ length: 100 }, (_, index) => ({ threadId: randomUUID(), userId: users[index % users.length]!, runId: randomUUID() }));
      await Promise.all(runs.map(({ threadId, userId }) => store.ensureThread(threadId, userId)));
      await Promise.all(runs.map((run) => store.storeMessage({ ...run, role: 'user', content: `question of ${run.runId}` })));

      expect(statements).toHaveLength(2);
      const { rows } = await database.query<{ run_id: string; user_id: string; content: string }>(
        'SELECT run_id, user_id, content FROM messages WHERE run_id = ANY($1)',
        [runs.map((run) => run.runId)],
      );
      expect(rows).toHaveLength(100);
      for (const run of runs) expect(rows).toContainEqual({ run_id: run.runId, user_id: run.userId, content: `question of ${run.runId}` });
    } finally {
      await close();
    }
  });

  test('a message Postgres refuses fails that call only, not the others of its batch', async ({ containers, database }) => {
    const { store, close } = countingStore(containers.databaseUrl);
    try {
      const threadId = randomUUID();
      await store.ensureThread(threadId, users[0]!);
      const message = (content: string): StoredMessage => ({ threadId, userId: users[0]!, runId: randomUUID(), role: 'user', content });
      const [good, bad, alsoGood] = [message('fine'), message('a NUL \u0000 Postgres cannot store'), message('also fine')];

      const results = await Promise.allSettled([good, bad, alsoGood].map((each) => store.storeMessage(each)));

      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      // Retried one by one, at once: the two may be stored in either order.
      const { rows } = await database.query<{ content: string }>('SELECT content FROM messages WHERE thread_id = $1', [threadId]);
      expect(rows.map((row) => row.content).sort()).toEqual(['also fine', 'fine']);
    } finally {
      await close();
    }
  });

  test('two users claiming one new thread in the same batch: the first owns it, the second is refused', async ({ containers }) => {
    const { store, close } = countingStore(containers.databaseUrl);
    try {
      const threadId = randomUUID();
      const [first, second, firstAgain] = await Promise.allSettled([
        store.ensureThread(threadId, users[0]!),
        store.ensureThread(threadId, users[1]!),
        store.ensureThread(threadId, users[0]!),
      ]);

      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({ status: 'rejected', reason: expect.any(ThreadNotFoundError) });
      expect(firstAgain.status).toBe('fulfilled');
    } finally {
      await close();
    }
  });
});
