import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Runs `body` while holding a lock that every process of this user on this machine respects: the
 * Playwright workers are separate processes, and Testcontainers' own lock around reuse is per process.
 * A holder that dies leaves a lock that goes stale after 10 s (proper-lockfile refreshes it while held).
 */
export async function withMachineLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(join(tmpdir(), `${name}.lock`), {
    realpath: false,
    retries: { retries: 1200, factor: 1, minTimeout: 100, maxTimeout: 100 },
  });
  try {
    return await body();
  } finally {
    await release();
  }
}
