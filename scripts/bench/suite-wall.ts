import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The local suite of the targets: golden path, auth, health and isolation. */
export const SUITE_FOLDERS = ['tests/golden-path', 'tests/auth', 'tests/health', 'tests/isolation'];

/**
 * Runs the local suite once as a user would (`npx playwright test`), into throwaway report folders, and
 * returns its wall time. Each run starts its own containers, as every local run does; `transformCache`
 * is Playwright's compile cache: a new folder makes the run cold, the same folder again makes it warm.
 */
export async function timeSuiteRun(transformCache: string): Promise<{ wallMs: number; exitCode: number | null }> {
  const output = mkdtempSync(join(tmpdir(), 'bench-suite-'));
  const started = performance.now();
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npx', ['playwright', 'test', '--project=e2e', '--retries=0', '--reporter=dot', ...SUITE_FOLDERS], {
        cwd: REPO,
        env: { ...process.env, PWTEST_CACHE_DIR: transformCache, REPORTS_DIR: join(output, 'reports'), TEST_RESULTS_DIR: join(output, 'test-results') },
        stdio: 'ignore',
      });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    return { wallMs: performance.now() - started, exitCode };
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}
