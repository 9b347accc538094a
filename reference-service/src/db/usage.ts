import type { Database } from './database.ts';

export async function sumUsage(db: Database, userId: string): Promise<{ totalTokens: number; records: number }> {
  const { rows } = await db.query<{ total: string; records: string }>(
    'SELECT COALESCE(SUM(tokens), 0) AS total, COUNT(*) AS records FROM usage WHERE user_id = $1',
    [userId],
  );
  return { totalTokens: Number(rows[0]!.total), records: Number(rows[0]!.records) };
}
