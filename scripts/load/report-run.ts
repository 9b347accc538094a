import { judgeLoad, formatThresholds } from '../../support/load/load-verdict.ts';
import { loadReportFolder, writeLoadReport } from '../../support/load/report-files.ts';
import { formatLoadSummary, summariseLoad } from '../../support/load/summary.ts';
import { evaluateThresholds } from '../../support/load/threshold-results.ts';
import type { Threshold } from '../../support/load/thresholds.ts';
import type { LoadFigures } from '../../support/load/types.ts';

/**
 * The end of a run or a merge: the table and each threshold, met or missed, on stdout; summary.json,
 * index.html and verdict.md in reports/load; the reasons of a failure on stderr. Returns the exit code:
 * 1 on a leak, and, when `judge` is on, on a missed threshold. A shard of a distributed run does not
 * judge its thresholds: its percentiles and rates are a part of the run's, which the merge judges.
 */
export function reportLoad(run: { title: string; target: string; figures: readonly LoadFigures[]; thresholds: readonly Threshold[]; judge: boolean }): number {
  const summary = summariseLoad(run.figures);
  const thresholds = evaluateThresholds(summary, run.thresholds);
  console.log(`\n== ${run.title} ==\n${formatLoadSummary(summary)}`);
  if (thresholds.length > 0) console.log(`${run.judge ? '' : 'this shard alone (the merge judges the run):\n'}${formatThresholds(thresholds)}`);
  const judged = run.judge ? thresholds : [];
  const verdict = judgeLoad(summary, judged);
  const folder = loadReportFolder();
  writeLoadReport(folder, { summary, outcomes: run.figures.flatMap(({ outcomes }) => outcomes), target: run.target, title: run.title, thresholds: judged });
  console.log(`(${folder}/summary.json, verdict.md, and latency over time in ${folder}/index.html)`);
  for (const reason of verdict.reasons) console.error(`load: FAIL: ${reason}`);
  return verdict.pass ? 0 : 1;
}
