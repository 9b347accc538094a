/**
 * How long the Allure report takes for a large run: writes synthetic results (a few steps and one small
 * JSON attachment each, like allure-playwright's for this harness) into a temporary folder and builds the
 * report several times, printing each time and the median, in milliseconds:
 *
 * - each variant alone (multi-file, single-file): Allure's generation, the analytics stripping and the
 *   outside-request check, as `npm run report` does them, with Allure generating that variant only;
 * - `npm run report` itself (both variants from one generation, then publishing), in this process and as
 *   a fresh process (node + tsx start-up included: what a user waits for). The target is under 5 s.
 *
 * Each run starts without history, so all runs do the same work.
 *
 *   npx tsx scripts/bench/report-generation.ts [results = 500] [runs = 5]
 */
import { execFile } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MULTI_FILE_PLUGIN_ID, SINGLE_FILE_PLUGIN_ID, allureConfig } from '../report/allure-config.ts';
import { buildReport } from '../report/build-report.ts';
import { runAllure } from '../report/generate.ts';
import { reportLocations } from '../report/locations.ts';
import { findOutsideRequestsInDirectory } from '../report/outside-requests.ts';
import { stripAnalyticsFromFile } from '../report/strip-analytics.ts';
import { writeSyntheticAllureResults } from '../report/synthetic-results.ts';
import { median as medianOf } from '../../support/stats/percentile.ts';

const median = (values: number[]) => medianOf(values)!;

const RESULTS = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 5);
const TARGET_MS = 5000;
const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Series {
  label: string;
  times: number[];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** One variant, generated alone (Allure then writes it straight into `output`), stripped and checked. */
async function buildVariant(pluginId: string, resultsDir: string, output: string): Promise<{ generate: number; total: number }> {
  const config = allureConfig({ output, historyPath: join(output, 'history.jsonl') });
  const onlyThisVariant = Object.fromEntries(Object.entries(config.plugins ?? {}).filter(([id]) => id === pluginId || id === 'agent'));
  const started = performance.now();
  await runAllure({ ...config, plugins: onlyThisVariant }, resultsDir);
  const generate = performance.now() - started;
  await stripAnalyticsFromFile(join(output, 'index.html'));
  const { findings } = await findOutsideRequestsInDirectory(output, pluginId);
  if (findings.length > 0) throw new Error(`the ${pluginId} report failed the outside-request check: ${findings.length} finding(s)`);
  return { generate, total: performance.now() - started };
}

const ms = (value: number) => Math.round(value).toLocaleString('en');

const workDir = await mkdtemp(join(tmpdir(), 'report-bench-'));
try {
  const locations = reportLocations({ REPORTS_DIR: workDir });
  await writeSyntheticAllureResults(locations.resultsDir, RESULTS);
  console.log(`report generation: ${RESULTS} synthetic results, ${RUNS} runs each; node ${process.version}, ${availableParallelism()} CPU(s)`);

  const series: Series[] = [];
  for (const [label, pluginId] of [
    ['multi-file', MULTI_FILE_PLUGIN_ID],
    ['single-file', SINGLE_FILE_PLUGIN_ID],
  ] as const) {
    const generate: Series = { label: `${label}: Allure generation`, times: [] };
    const total: Series = { label: `${label}: generation + strip + check`, times: [] };
    for (let run = 1; run <= RUNS; run += 1) {
      const output = join(workDir, `${pluginId}-${run}`);
      const times = await buildVariant(pluginId, locations.resultsDir, output);
      generate.times.push(times.generate);
      total.times.push(times.total);
      await rm(output, { recursive: true, force: true });
    }
    series.push(generate, total);
  }

  const inProcess: Series = { label: 'npm run report, both variants (in process)', times: [] };
  for (let run = 1; run <= RUNS; run += 1) {
    await rm(locations.historyFile, { force: true });
    inProcess.times.push(await timed(() => buildReport(locations)));
  }
  series.push(inProcess);

  const asProcess: Series = { label: 'npm run report, both variants (new process)', times: [] };
  const run = promisify(execFile);
  for (let index = 1; index <= RUNS; index += 1) {
    await rm(locations.historyFile, { force: true });
    asProcess.times.push(
      await timed(() => run(process.execPath, ['--import', 'tsx', 'scripts/report.ts'], { cwd: REPO, env: { ...process.env, REPORTS_DIR: workDir } })),
    );
  }
  series.push(asProcess);

  const width = Math.max(...series.map(({ label }) => label.length));
  console.log(`${''.padEnd(width)}  median ms  each run, ms`);
  for (const { label, times } of series) {
    console.log(`${label.padEnd(width)}  ${ms(median(times)).padStart(9)}  ${times.map(ms).join('  ')}`);
  }
  const verdict = median(asProcess.times) < TARGET_MS ? 'within' : 'OVER';
  console.log(`npm run report for ${RESULTS} results: median ${ms(median(asProcess.times))} ms, ${verdict} the ${ms(TARGET_MS)} ms target`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
