// npm run stability -- --runs N [--workers W]
// Repeats the API golden path N times and the browser golden path N/10 times (at least once), retries
// off, against the configured target, then prints passes, flakes, failures and latency percentiles.
// Exit 0 only when every run passed first time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../support/stats/percentile.ts';
import { summariseRuns, type RunSummary } from './stability/results.ts';

const USAGE = 'usage: npm run stability -- --runs N [--workers W]   (N ≥ 1; the browser path runs N/10 times, at least once)';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, workers: { type: 'string', default: '2' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = Number(values.runs);
const workers = Number(values.workers);
const problems = [
  ...(Number.isInteger(runs) && runs >= 1 ? [] : [`--runs ${values.runs} is not a whole number ≥ 1`]),
  ...(Number.isInteger(workers) && workers >= 1 ? [] : [`--workers ${values.workers} is not a whole number ≥ 1`]),
];
if (problems.length > 0) {
  console.error(`stability: ${problems.join('; ')}\n${USAGE}`);
  process.exit(2);
}

const paths = [
  { name: 'api', spec: 'tests/golden-path/api.spec.ts', repeat: runs },
  { name: 'browser', spec: 'tests/golden-path/browser.spec.ts', repeat: Math.max(1, Math.round(runs / 10)) },
];

const summaries: Array<RunSummary & { name: string; repeat: number; wallMs: number }> = [];
for (const path of paths) {
  const reportsDir = join('reports', 'stability', path.name);
  console.log(`\n== ${path.name} golden path × ${path.repeat} (retries off, ${workers} workers) ==`);
  const started = performance.now();
  const exitCode = await runPlaywright([path.spec, '--project=e2e', '--retries=0', `--workers=${workers}`], {
    GOLDEN_PATH_REPETITIONS: String(path.repeat),
    REPORTS_DIR: reportsDir,
    TEST_RESULTS_DIR: join('test-results', 'stability', path.name),
  });
  const wallMs = performance.now() - started;
  let summary: RunSummary;
  try {
    summary = summariseRuns(JSON.parse(readFileSync(join(reportsDir, 'results.json'), 'utf8')));
  } catch {
    console.error(`stability: the ${path.name} run (exit ${exitCode}) wrote no readable ${reportsDir}/results.json; see its output above`);
    process.exit(1);
  }
  summaries.push({ ...summary, name: path.name, repeat: path.repeat, wallMs });
}

console.log('\n== stability ==');
console.log('path     runs  passed  flaky  failed   wall     connect p50/p95/p99      first event p50/p95/p99    completion p50/p95/p99');
for (const summary of summaries) {
  const triple = (values: number[]) => [50, 95, 99].map((p) => ms(percentile(values, p))).join(' / ');
  console.log(
    [
      summary.name.padEnd(8),
      String(summary.total).padStart(4),
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
const clean = summaries.every((summary) => summary.failed === 0 && summary.flaky === 0 && summary.passed === summary.total);
console.log(clean ? '\nstable: every run passed first time' : '\nNOT stable: see the failures above and the reports under reports/stability/');
process.exit(clean ? 0 : 1);

function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value)} ms`;
}

function runPlaywright(args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  const stop = () => child.kill('SIGINT');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}
