// npm run stability -- --runs N [--workers W]
// Repeats the API golden path N times and the browser golden path N/10 times (at least once), retries
// off, against the configured target, then prints passes, flakes, failures and latency percentiles.
// Exit 0 only when every run asked for ran and passed first time; 1 otherwise (a run that failed, or ran
// nothing or fewer than asked); 2 when its options or the settings are wrong or the target does not answer.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../support/stats/percentile.ts';
import { startCommand } from './shared/command-startup.ts';
import { parseOptions } from './shared/options.ts';
import { stabilityVerdict, summariseRuns, type PathOutcome, type RunSummary } from './stability/results.ts';
import { evidenceLocations } from '../support/config/settings/evidence.ts';

const USAGE = 'usage: npm run stability -- --runs N [--workers W]   (N ≥ 1, default 20; W default 2; the browser path runs N/10 times, at least once)';

const { values, problems } = parseOptions(USAGE, { runs: { type: 'string', default: '20' }, workers: { type: 'string', default: '2' } });
const runs = Number(values.runs);
const workers = Number(values.workers);
if (!(Number.isInteger(runs) && runs >= 1)) problems.push(`--runs ${values.runs} is not a whole number ≥ 1`);
if (!(Number.isInteger(workers) && workers >= 1)) problems.push(`--workers ${values.workers} is not a whole number ≥ 1`);
// The suite's settings and preflight first: against a target that does not answer, the command says so in
// seconds (exit 2) instead of running nothing and calling it stable.
await startCommand('stability', USAGE, problems);

const paths = [
  { name: 'api', spec: 'tests/golden-path/api.spec.ts', repeat: runs },
  { name: 'browser', spec: 'tests/golden-path/browser.spec.ts', repeat: Math.max(1, Math.round(runs / 10)) },
];
const evidence = evidenceLocations();
const reportsRoot = join(evidence.reportsDir, 'stability');
const testResultsRoot = join(evidence.testResultsDir, 'stability');

let interrupted = false;
const outcomes: PathOutcome[] = paths.map((path) => ({ name: path.name, asked: path.repeat }));
const summaries: Array<RunSummary & { name: string; wallMs: number }> = [];
for (const [index, path] of paths.entries()) {
  const reportsDir = join(reportsRoot, path.name);
  console.log(`\n== ${path.name} golden path × ${path.repeat} (retries off, ${workers} workers) ==`);
  const started = performance.now();
  const exitCode = await runPlaywright([path.spec, '--project=e2e', '--retries=0', `--workers=${workers}`], {
    GOLDEN_PATH_REPETITIONS: String(path.repeat),
    REPORTS_DIR: reportsDir,
    TEST_RESULTS_DIR: join(testResultsRoot, path.name),
  });
  const wallMs = performance.now() - started;
  let summary: RunSummary;
  try {
    summary = summariseRuns(JSON.parse(readFileSync(join(reportsDir, 'results.json'), 'utf8')));
  } catch {
    console.error(`stability: the ${path.name} run (exit ${exitCode}) wrote no readable ${reportsDir}/results.json; see its output above`);
    process.exit(1);
  }
  outcomes[index]!.summary = summary;
  summaries.push({ ...summary, name: path.name, wallMs });
  if (interrupted) break;
  if (summary.ran === 0) {
    // Nothing to measure, and the next path would run into the same wall.
    console.error(
      `\nstability: nothing ran: ${summary.runErrors[0] ?? `the ${path.name} run exited ${exitCode} without running a test; see its output above`}`,
    );
    process.exit(1);
  }
}

console.log('\n== stability ==');
console.log('path     runs  passed  flaky  failed   wall     connect p50/p95/p99      first event p50/p95/p99    completion p50/p95/p99');
for (const summary of summaries) {
  const triple = (values: number[]) => [50, 95, 99].map((p) => ms(percentile(values, p))).join(' / ');
  console.log(
    [
      summary.name.padEnd(8),
      String(summary.ran).padStart(4),
      String(summary.passed).padStart(7),
      String(summary.flaky).padStart(6),
      String(summary.failed).padStart(7),
      `${(summary.wallMs / 1000).toFixed(1)} s`.padStart(8),
      `   ${triple(summary.latency.connectMs).padEnd(24)}`,
      ` ${triple(summary.latency.firstEventMs).padEnd(26)}`,
      ` ${triple(summary.latency.completionMs)}`,
    ].join(''),
  );
  for (const failure of summary.failures.slice(0, 5)) console.log(`  ✘ ${failure}`);
}
const verdict = stabilityVerdict(outcomes);
console.log(`\n${verdict.line}${verdict.stable ? '' : `: see the output above and the reports under ${reportsRoot}/`}`);
process.exit(interrupted ? 130 : verdict.stable ? 0 : 1);

function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value)} ms`;
}

/** Playwright's CLI with these arguments; an interruption is passed on to it, and no further path runs. */
function runPlaywright(args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  const stop = () => {
    interrupted = true;
    child.kill('SIGINT');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code);
    }),
  );
}
