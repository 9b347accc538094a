import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConcurrentRunsResult, UserOutcome } from './types.ts';
import { renderLatencyPage } from './latency-page.ts';
import { judgeLoad, renderLoadVerdictMarkdown } from './load-verdict.ts';
import type { Shard } from './scenario.ts';
import type { LoadSummary } from './summary.ts';
import type { ThresholdResult } from './threshold-results.ts';
import { evidenceLocations } from '../config/settings/evidence.ts';

/** What `npm run load` keeps of a run or a shard, for `npm run load -- --merge`: every attempt's figures. */
export interface ShardFigures {
  target: string;
  /** The phases, described: every shard of one run has the same. */
  scenario: string;
  /** The threshold expressions the run is judged by. */
  thresholds: string[];
  shard: Shard;
  result: ConcurrentRunsResult;
}

/** The file of a run's raw figures in its report folder. */
export const SHARD_FIGURES_FILE = 'figures.json';

/** Where a load run's figures go: `summary.json` for tools, `index.html` with the latency plots for people. */
export function loadReportFolder(reportsDir = evidenceLocations().reportsDir): string {
  return join(reportsDir, 'load');
}

/**
 * summary.json and index.html; with thresholds (npm run load), also the verdict in summary.json and as
 * verdict.md, to post with `npm run comment -- --verdict`.
 */
export function writeLoadReport(
  folder: string,
  run: { summary: LoadSummary; outcomes: readonly UserOutcome[]; target: string; title: string; thresholds?: readonly ThresholdResult[] },
): void {
  mkdirSync(folder, { recursive: true });
  const verdict = run.thresholds && judgeLoad(run.summary, run.thresholds);
  writeFileSync(join(folder, 'summary.json'), `${JSON.stringify(verdict ? { ...run.summary, thresholds: run.thresholds, verdict } : run.summary, null, 2)}\n`);
  writeFileSync(join(folder, 'index.html'), renderLatencyPage({ ...run, generatedAt: new Date() }));
  if (verdict) writeFileSync(join(folder, 'verdict.md'), renderLoadVerdictMarkdown({ ...run, thresholds: run.thresholds!, verdict }));
}

export function writeShardFigures(folder: string, figures: ShardFigures): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, SHARD_FIGURES_FILE), JSON.stringify(figures));
}

/** Every figures.json under `folder`, however deep (a CI merge job downloads each shard's into a folder of its own). */
export function findShardFigures(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.split(/[\\/]/).at(-1) === SHARD_FIGURES_FILE)
    .map((path) => join(folder, path))
    .filter((path) => statSync(path).isFile())
    .sort();
}

export function readShardFigures(file: string): ShardFigures {
  return JSON.parse(readFileSync(file, 'utf8')) as ShardFigures;
}
