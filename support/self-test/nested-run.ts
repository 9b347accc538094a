import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '../verdict/verdict.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLAYWRIGHT_CLI = join(REPO_ROOT, 'node_modules/@playwright/test/cli.js');

export interface NestedRun {
  exitCode: number | null;
  output: string;
  reportsDir: string;
  testResultsDir: string;
  /** The run's verdict; undefined when the run wrote none. */
  verdict: Verdict | undefined;
}

/**
 * Runs the harness itself, as a user would, in a child process: its own reports and test results under
 * `dir`, its own secrets file, and only the settings given (the outer run's worker variables would
 * confuse the inner Playwright). Used to show that the harness reports a fault, and what it writes.
 */
export async function runHarness(options: {
  dir: string;
  args: string[];
  env: Record<string, string>;
  timeoutMs?: number;
  command?: 'test' | 'merge-reports';
}): Promise<NestedRun> {
  const env = commandEnvironment(options.dir, { ...(process.env.CI ? { CI: process.env.CI } : {}), ...options.env });
  const reportsDir = env.REPORTS_DIR!;
  const testResultsDir = env.TEST_RESULTS_DIR!;
  const command = options.command === 'merge-reports' ? ['merge-reports', '--config', 'merge.config.ts'] : ['test'];
  const { exitCode, output } = await runNode([PLAYWRIGHT_CLI, ...command, ...options.args], env, options.timeoutMs ?? 120_000);
  const verdictFile = join(reportsDir, 'verdict.json');
  return {
    exitCode,
    output,
    reportsDir,
    testResultsDir,
    verdict: existsSync(verdictFile) ? (JSON.parse(readFileSync(verdictFile, 'utf8')) as Verdict) : undefined,
  };
}

/**
 * The whole environment of a command a self-test runs: PATH, HOME and the browser from this process,
 * reports and test results under `dir`, then `settings` (which win). Nothing else leaks in: the outer
 * run's worker variables would confuse an inner Playwright.
 */
export function commandEnvironment(dir: string, settings: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(process.env.CHROMIUM_EXECUTABLE ? { CHROMIUM_EXECUTABLE: process.env.CHROMIUM_EXECUTABLE } : {}),
    REPORTS_DIR: join(dir, 'reports'),
    TEST_RESULTS_DIR: join(dir, 'test-results'),
    ...settings,
  };
}

/** `npm run report` on a nested run's results; resolves with its exit code and output. */
export function generateReport(reportsDir: string): Promise<{ exitCode: number | null; output: string }> {
  return runNode(
    ['--import', 'tsx', join(REPO_ROOT, 'scripts/report.ts')],
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REPORTS_DIR: reportsDir },
    120_000,
  );
}

/** Node with these arguments from the repository root, its output collected; interrupted after `timeoutMs`. */
export function runNode(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ exitCode: number | null; output: string }> {
  return runInRepository(process.execPath, args, env, timeoutMs);
}

/**
 * A command from the repository root with only the environment given, stdout and stderr collected in
 * one string; interrupted (SIGINT, as a user's Ctrl-C) after `timeoutMs`, so a hung command fails its
 * test on the exit code and leaves nothing running.
 */
export async function runInRepository(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ exitCode: number | null; output: string }> {
  const child = spawn(file, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timeout = setTimeout(() => child.kill('SIGINT'), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearTimeout(timeout);
  return { exitCode, output };
}
