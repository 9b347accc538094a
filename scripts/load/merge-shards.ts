import { findShardFigures, readShardFigures, SHARD_FIGURES_FILE, type ShardFigures } from '../../support/load/report-files.ts';
import { parseThreshold, type Threshold } from '../../support/load/thresholds.ts';
import { exitWithProblems } from '../shared/options.ts';
import { USAGE } from './command-line.ts';
import { reportLoad } from './report-run.ts';

/**
 * `npm run load -- --merge FOLDER`: the figures.json of every shard found under the folder, added up as
 * one run (summariseLoad: percentiles over every attempt, rates over the window all shards shared) and
 * judged by the run's thresholds and any given here. The shards must be the whole of one run: the same
 * scenario, each of 1/N…N/N once. Returns the exit code.
 */
export function mergeShards(folder: string, extraThresholds: readonly Threshold[]): number {
  const files = findShardFigures(folder);
  if (files.length === 0)
    exitWithProblems(
      'load',
      USAGE,
      [`--merge ${folder}: no ${SHARD_FIGURES_FILE} in it or below it: gather each shard's reports/load folder there`],
      'nothing was merged',
    );
  const shards = files.map(readShardFigures);
  const problems = wholeRunProblems(shards, files);
  if (problems.length > 0) exitWithProblems('load', USAGE, problems, 'nothing was merged');
  const expressions = [...new Set(shards.flatMap(({ thresholds }) => thresholds))];
  console.log(`load: merging ${shards.length} shard(s) of "${shards[0]!.scenario}" from ${folder}`);
  return reportLoad({
    title: `Load: ${shards[0]!.scenario} (${shards.length} shard${shards.length === 1 ? '' : 's'} merged)`,
    target: [...new Set(shards.map(({ target }) => target))].join(', '),
    figures: shards.map(({ result }) => result),
    thresholds: [...expressions.map((expression) => parseThreshold(expression).threshold!), ...extraThresholds],
    judge: true,
  });
}

function wholeRunProblems(shards: readonly ShardFigures[], files: readonly string[]): string[] {
  const problems: string[] = [];
  const scenarios = [...new Set(shards.map(({ scenario }) => scenario))];
  if (scenarios.length > 1) problems.push(`the shards ran different scenarios: ${scenarios.map((scenario) => `"${scenario}"`).join(', ')}`);
  const counts = [...new Set(shards.map(({ shard }) => shard.count))];
  if (counts.length > 1) problems.push(`the shards split the run differently: into ${counts.join(' and ')}`);
  const count = counts[0]!;
  for (let index = 0; index < count; index++) {
    const found = shards.flatMap((shard, at) => (shard.shard.index === index ? [files[at]!] : []));
    if (found.length === 0) problems.push(`shard ${index + 1}/${count} is missing`);
    if (found.length > 1) problems.push(`shard ${index + 1}/${count} is there ${found.length} times: ${found.join(', ')}`);
  }
  return problems;
}
