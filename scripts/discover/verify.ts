import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../support/verdict/verdict.ts';

export interface Verification {
  exitCode: number | null;
  verdict: Verdict | undefined;
}

/**
 * `TARGET_PROFILE=<name> npm run smoke`, as the user would type it, in the shell's own environment (not
 * the one discover filled from .env: a value loaded from there would win over the profile just written).
 * One worker: every smoke test signs in as the same account, and with two workers one test's run of that
 * account reaches the sockets of another (thread ownership then reads it as an intruder's message).
 */
export function runSmoke(name: string, shellEnv: NodeJS.ProcessEnv, onChild: (child: ChildProcess) => void): Promise<Verification> {
  const reportsDir = shellEnv.REPORTS_DIR || 'reports';
  const verdictFile = join(reportsDir, 'verdict.json');
  // A verdict left by an earlier run must not pass for this one's.
  rmSync(verdictFile, { force: true });
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--project=e2e', '--grep', '@smoke', '--workers=1'], {
    stdio: 'inherit',
    env: { ...shellEnv, TARGET_PROFILE: name },
  });
  onChild(child);
  return new Promise((resolve) =>
    child.on('close', (exitCode) => {
      const verdict = existsSync(verdictFile) ? (JSON.parse(readFileSync(verdictFile, 'utf8')) as Verdict) : undefined;
      resolve({ exitCode, verdict });
    }),
  );
}
