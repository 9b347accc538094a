import type { ConcurrentRunsResult, LoadTotals, LoadUser, PhaseWindow, SecondCounts, TargetOptions } from './types.ts';
import { LoadRecord } from './load-record.ts';
import { describePhase, phaseUsers, shardIndexes, type ArrivalPhase, type LoadPhase, type Shard, type UsersPhase } from './scenario.ts';
import { startSecondClock } from './second-clock.ts';
import { semaphore } from './semaphore.ts';
import { UserRun } from './user-run.ts';

/** A soaking user whose visit failed comes back after this pause at least: a refused socket would otherwise spin. */
const RETRY_AFTER_FAILURE_MS = 1000;

export interface ScenarioRunOptions extends TargetOptions {
  /** This machine's users, in the order of their shard's indexes: each phase takes the first it needs. */
  users: readonly LoadUser[];
  phases: readonly LoadPhase[];
  shard: Shard;
  /** At most this many logins in flight (unlimited when unset). */
  loginsInFlight?: number;
  /** Once a second: what happened in it, and the totals so far, for live progress. */
  onSecond?: (second: SecondCounts, totals: Readonly<LoadTotals>) => void;
}

/**
 * Runs the phases one after another with the same users (each logs in once, on its first visit) and
 * returns every attempt's figures, the run's timeline second by second, and when each phase ran. A phase
 * on one shard of several runs the users of its shard's indexes at the times the whole run would give
 * them, so the machines together make the phase's ramp or arrival rate.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<ConcurrentRunsResult> {
  const cpuAtStart = process.cpuUsage();
  const record = new LoadRecord();
  const shared = { options, logins: semaphore(options.loginsInFlight ?? Infinity), record };
  const users = options.users.map((user) => new UserRun(user, shared));
  const clock = startSecondClock(record, options.onSecond);
  const phases: PhaseWindow[] = [];
  try {
    for (const [index, phase] of options.phases.entries()) {
      record.phase = index;
      const startedAt = Date.now();
      const indexes = shardIndexes(phaseUsers(phase), options.shard);
      const window: PhaseWindow = {
        label: describePhase(phase),
        startedAt,
        rampEndedAt: startedAt + rampMs(phase),
        ...(phase.kind === 'users' && phase.soakMs !== undefined ? { soakEndsAt: startedAt + phase.soakMs } : {}),
        endedAt: 0,
      };
      const start = performance.now();
      await (phase.kind === 'users' ? runPopulation(phase, users, indexes, start) : runArrivals(phase, users, indexes, start));
      window.endedAt = Date.now();
      phases.push(window);
    }
  } finally {
    clock.stop();
  }
  record.judgeUnknownRuns();
  const cpu = process.cpuUsage(cpuAtStart);
  return record.result(phases, (cpu.user + cpu.system) / 1000);
}

/** How long a phase's users take to arrive, all of them. */
function rampMs(phase: LoadPhase): number {
  return phase.kind === 'users' ? phase.connectRampMs : phase.durationMs;
}

/**
 * A fixed population: user `index` of the whole phase arrives `index` steps into the ramp. Without a soak,
 * every socket stays open until each user has taken its turns; with one, each user comes back after its
 * visit (and the think time) until the soak is over.
 */
async function runPopulation(phase: UsersPhase, users: readonly UserRun[], indexes: readonly number[], start: number): Promise<void> {
  const total = phaseUsers(phase);
  const step = total > 1 ? phase.connectRampMs / (total - 1) : 0;
  const visit = { turns: phase.turns, thinkTimeMs: phase.thinkTimeMs };
  if (phase.soakMs === undefined) {
    let stillAsking = indexes.length;
    let everyoneAsked!: () => void;
    const leave = new Promise<void>((resolve) => (everyoneAsked = resolve));
    const onTurnsTaken = () => {
      if (--stillAsking === 0) everyoneAsked();
    };
    await Promise.all(
      indexes.map(async (index, position) => {
        await sleepUntil(start + index * step);
        await users[position]!.visit({ ...visit, onTurnsTaken, leave });
      }),
    );
    return;
  }
  const soakEnds = start + phase.soakMs;
  await Promise.all(
    indexes.map(async (index, position) => {
      await sleepUntil(start + index * step);
      do {
        const verified = await users[position]!.visit(visit);
        const pause = verified ? phase.thinkTimeMs : Math.max(phase.thinkTimeMs, RETRY_AFTER_FAILURE_MS);
        await sleepUntil(Math.min(performance.now() + pause, soakEnds));
      } while (performance.now() < soakEnds);
    }),
  );
}

/** An open model: arrival `index` of the whole phase comes `index / rate` seconds in, takes its turns, and leaves. */
async function runArrivals(phase: ArrivalPhase, users: readonly UserRun[], indexes: readonly number[], start: number): Promise<void> {
  await Promise.all(
    indexes.map(async (index, position) => {
      await sleepUntil(start + (index / phase.ratePerSecond) * 1000);
      await users[position]!.visit({ turns: phase.turns, thinkTimeMs: phase.thinkTimeMs });
    }),
  );
}

/** Resolves at `at` on the performance clock (at once when that has passed). */
function sleepUntil(at: number): Promise<void> {
  const ms = at - performance.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
