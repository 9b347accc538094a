// npm run load -- [--users N [--connect-ramp S] [--soak D] | --arrival-rate R/s --duration D | --scenario FILE]
//                 [--turns K] [--think-time T] [--threshold EXPR]… [--shard i/N] [--minted-users] [--start-at TIME]
// npm run load -- --merge FOLDER
// Users through the golden path over the API, in phases, against the configured target (the same
// settings as the suite), every run and every frame checked against its owner. Locally, the stack is
// started and the users are seeded (or minted); externally, they come from LOAD_USERS_FILE or are minted
// from JWT_SECRET. Live progress on stderr, then a table, the thresholds met or missed, and
// reports/load/summary.json, verdict.md, index.html (latency over time), figures.json (for --merge).
// Exit 1 on any cross-user leak or a missed threshold; 2 on bad arguments or settings; 130/143 interrupted.
import { externalLoadUsers } from '../support/load/accounts.ts';
import { targetOptions } from '../support/load/concurrent-runs.ts';
import type { LoadUser } from '../support/load/types.ts';
import { writeShardFigures, loadReportFolder } from '../support/load/report-files.ts';
import { accountsNeeded, describePhase, shardIndexes, type LoadScenario, type Shard } from '../support/load/scenario.ts';
import { runScenario } from '../support/load/scenario-runner.ts';
import { interruptibleLocalStack, startCommand } from './shared/command-startup.ts';
import { parseLoadCommand, USAGE, type LoadCommand } from './load/command-line.ts';
import { localLoadTarget } from './load/local-target.ts';
import { mergeShards } from './load/merge-shards.ts';
import { progressPrinter } from './load/progress.ts';
import { reportLoad } from './load/report-run.ts';

const { command, problems } = parseLoadCommand();
if (command?.kind === 'merge') {
  process.exitCode = mergeShards(command.folder, command.thresholds);
} else {
  await run(command, problems);
}

async function run(command: Extract<LoadCommand, { kind: 'run' }> | undefined, problems: string[]): Promise<void> {
  // An external target's users are known before anything starts, so a missing or short file is a usage problem.
  let externalUsers: LoadUser[] | undefined;
  const settings = await startCommand(
    'load',
    USAGE,
    problems,
    async (loaded) => {
      if (loaded.target !== 'external' || !command) return [];
      try {
        externalUsers = await externalLoadUsers(process.env, accountLines(command.scenario, command.shard), command.mintedUsers);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    },
    // Its users are its own (seeded, minted or LOAD_USERS_FILE), never the suite's test account.
    { requireTestAccount: false },
  );
  // Without a command there were problems, and startCommand has listed them and exited.
  const { scenario, shard, mintedUsers, startAt } = command!;
  const localStack = interruptibleLocalStack(settings);
  let stopTarget = async () => {};
  try {
    const started = performance.now();
    let target: { baseUrl: string; wsUrl: string };
    let users: LoadUser[];
    if (settings.target === 'local') {
      console.log('load: starting Postgres, Redis and the reference service');
      const local = await localLoadTarget(await localStack.start(), settings, accountsNeeded(scenario, shard), mintedUsers);
      ({ target, users } = local);
      stopTarget = local.stop;
    } else {
      target = { baseUrl: settings.baseUrl!, wsUrl: settings.wsUrl! };
      users = externalUsers!;
    }
    const title = `Load: ${scenario.phases.map(describePhase).join('; then ')}${shard.count > 1 ? ` (shard ${shard.index + 1}/${shard.count})` : ''}`;
    console.log(`load: ${title}, against ${target.baseUrl} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (startAt) await waitUntil(startAt);

    const result = await runScenario({ ...targetOptions(target, settings), users, phases: scenario.phases, shard, onSecond: progressPrinter(scenario.phases) });
    writeShardFigures(loadReportFolder(), {
      target: target.baseUrl,
      scenario: scenario.phases.map(describePhase).join('; then '),
      thresholds: scenario.thresholds.map(({ expression }) => expression),
      shard,
      result,
    });
    process.exitCode = reportLoad({ title, target: target.baseUrl, figures: [result], thresholds: scenario.thresholds, judge: shard.count === 1 });
  } finally {
    await stopTarget();
    await localStack.stop();
  }
}

/** The lines of LOAD_USERS_FILE this machine logs in with: every N-th from its shard's index, as many as a phase takes from it. */
function accountLines(scenario: LoadScenario, shard: Shard): number[] {
  return shardIndexes(accountsNeeded(scenario, shard) * shard.count, shard);
}

/** Shards on several machines start their first phase together: the rates of a merge count the window they share. */
async function waitUntil(startAt: Date): Promise<void> {
  const ms = startAt.getTime() - Date.now();
  if (ms <= 0) {
    console.log(`load: --start-at ${startAt.toISOString()} passed ${Math.round(-ms / 1000)} s ago: starting now`);
    return;
  }
  console.log(`load: waiting until ${startAt.toISOString()} (${Math.round(ms / 1000)} s) to start with the other shards`);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
