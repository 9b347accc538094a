import pg from 'pg';
import type { Faults } from '../faults.ts';

/** Postgres' SQLSTATE for a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';
// Under the db_timeout fault every statement is given this long, and asked to run longer.
const FAULT_STATEMENT_TIMEOUT_MS = 200;

export class DatabaseTimeoutError extends Error {
  readonly code = 'database_timeout';
  constructor(cause: unknown) {
    super('the database did not answer in time', { cause });
  }
}

export interface Database {
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly pool: pg.Pool;
}

export function createDatabase(connectionString: string, statementTimeoutMs: number, faults: Faults): Database {
  const timeoutInjected = faults.has('db_timeout');
  const pool = new pg.Pool({
    connectionString,
    max: 20,
    connectionTimeoutMillis: 3000,
    statement_timeout: timeoutInjected ? FAULT_STATEMENT_TIMEOUT_MS : statementTimeoutMs,
  });
  // An idle client losing its server (a stopped container) must not crash the process; the next query reports it.
  pool.on('error', () => {});

  async function query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]) {
    try {
      if (timeoutInjected) {
        // A real server-side timeout, as production saw, not a simulated error.
        await pool.query('SELECT pg_sleep(30)');
      }
      return await pool.query<Row>(text, values);
    } catch (error) {
      if ((error as { code?: string }).code === QUERY_CANCELED) throw new DatabaseTimeoutError(error);
      throw error;
    }
  }

  return {
    query,
    ping: async () => {
      await query('SELECT 1');
    },
    close: () => pool.end(),
    pool,
  };
}
