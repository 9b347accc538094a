import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The local suite of the targets: golden path, auth, health and isolation. */
export const SUITE_FOLDERS = ['tests/golden-path', 'tests/auth', 'tests/health', 'tests/isolation'];

/**
 * Runs the local suite once as a user would (`npx playwright test`, with LOCAL_STACK_REUSE=true), into
 * throwaway report folders, and returns its wall time. With no kept container and a new Playwright
 * compile cache (`transformCache`) the run is cold; run again, it finds the containers and the cache of
 * the last one: warm. The bench is a local measurement, so CI's settings (which refuse a kept container)
 * are left out.
 */
export async function timeSuiteRun(transformCache: string): Promise<{ wallMs: number; exitCode: number | null }> {
  const { CI: _ci, ...env } = process.env;
  const output = mkdtempSync(join(tmpdir(), 'bench-suite-'));
  const started = performance.now();
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('npx', ['playwright', 'test', '--project=e2e', '--retries=0', '--reporter=dot', ...SUITE_FOLDERS], {
        cwd: REPO,
        env: {
          ...env,
          LOCAL_STACK_REUSE: 'true',
          PWTEST_CACHE_DIR: transformCache,
          REPORTS_DIR: join(output, 'reports'),
          TEST_RESULTS_DIR: join(output, 'test-results'),
        },
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
