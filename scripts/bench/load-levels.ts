import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HarnessSettings } from '../../support/config/settings.ts';
import { runConcurrently, targetOptions } from '../../support/load/concurrent-runs.ts';
import type { LoadUser } from '../../support/load/types.ts';
import { WHOLE_RUN } from '../../support/load/scenario.ts';
import { runScenario } from '../../support/load/scenario-runner.ts';
import { semaphore } from '../../support/load/semaphore.ts';
import { formatChange, summariseLoad, type LoadSummary } from '../../support/load/summary.ts';
import { signIn } from '../../support/client/session.ts';
import { median } from '../../support/stats/percentile.ts';
import { bareVisit } from '../load/bare-ws-visit.ts';

/**
 * Password logins are scrypt-bound, about 33/s on these machines when idle and far fewer when they are
 * shared: a few at a time go at whatever pace the service can hash, where a fixed rate overran it (503s).
 */
const LOGINS_IN_FLIGHT = 4;

type Record = (figure: string, value: string, target?: string) => void;

/**
 * Logs every account in once, a few at a time so the password hash is not what is measured, and returns
 * them as users with a session, so that each load level can then be run several times without logging in again.
 */
export async function logInAll(
  baseUrl: string,
  settings: HarnessSettings,
  accounts: Array<{ email: string; password: string }>,
): Promise<{ users: LoadUser[]; loginsPerSecond: number }> {
  const started = performance.now();
  const logins = semaphore(LOGINS_IN_FLIGHT);
  const users = await Promise.all(
    accounts.map(async (account) => {
      const release = await logins.acquire();
      try {
        return { email: account.email, session: await signIn(baseUrl, account, settings.login) };
      } finally {
        release();
      }
    }),
  );
  return { users, loginsPerSecond: Math.round((accounts.length / (performance.now() - started)) * 1000) };
}

/** One round at one level: every user opens a socket at once, asks, and holds it until all have asked. */
export async function loadRound(target: { baseUrl: string; wsUrl: string }, settings: HarnessSettings, users: readonly LoadUser[]): Promise<LoadSummary> {
  return summariseLoad(await runConcurrently({ ...targetOptions(target, settings), users, rampMs: 0 }));
}

const CPU_TURNS = 3;
const CPU_RAMP_MS = 5000;
const CPU_ROUNDS = 3;
/** Users of the round each client runs first, not counted: the code paths of both are compiled before either is measured. */
const CPU_WARM_UP_USERS = 100;

/**
 * The harness's load client against bare `ws` doing the same visits (bare-ws-visit.ts): every user over
 * a 5 s connect ramp, 3 turns each, the CPU time of this process per verified event; after a round of
 * each to warm up, the two take turns, three times each, and the medians are compared. What the harness
 * adds is its recording socket, its waits and its checks of every frame.
 */
export async function recordClientCpuPerEvent(
  target: { baseUrl: string; wsUrl: string },
  settings: HarnessSettings,
  users: readonly LoadUser[],
  record: Record,
): Promise<void> {
  const harness: number[] = [];
  const bare: number[] = [];
  let failures = 0;
  const harnessRound = async (some: readonly LoadUser[]) => {
    const summary = summariseLoad(
      await runScenario({
        ...targetOptions(target, settings),
        users: some,
        phases: [{ kind: 'users', users: some.length, connectRampMs: CPU_RAMP_MS, turns: CPU_TURNS, thinkTimeMs: 0 }],
        shard: WHOLE_RUN,
      }),
    );
    failures += summary.attempts - summary.verifiedRuns;
    return summary.clientCpuPerEventUs ?? NaN;
  };
  const bareRound = async (some: readonly LoadUser[]) => {
    const cpu = process.cpuUsage();
    const step = some.length > 1 ? CPU_RAMP_MS / (some.length - 1) : 0;
    let stillAsking = some.length;
    let everyoneAsked!: () => void;
    const hold = { leave: new Promise<void>((resolve) => (everyoneAsked = resolve)), onTurnsTaken: () => --stillAsking === 0 && everyoneAsked() };
    const events = await Promise.all(
      some.map(async (user, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * step));
        return bareVisit({ wsUrl: target.wsUrl, accessToken: user.session!.accessToken, userId: user.session!.userId }, CPU_TURNS, hold).catch(
          () => (failures++, 0),
        );
      }),
    );
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / events.reduce((sum, count) => sum + count, 0);
  };
  await harnessRound(users.slice(0, CPU_WARM_UP_USERS));
  await bareRound(users.slice(0, CPU_WARM_UP_USERS));
  failures = 0;
  for (let round = 0; round < CPU_ROUNDS; round++) {
    harness.push(await harnessRound(users));
    bare.push(await bareRound(users));
  }
  const [harnessUs, bareUs] = [median(harness)!, median(bare)!];
  record(
    `(e) client CPU per verified event, ${users.length} users × ${CPU_TURNS} turns over ${CPU_RAMP_MS / 1000} s`,
    `harness ${Math.round(harnessUs)} µs, bare ws ${Math.round(bareUs)} µs: ${(harnessUs / bareUs).toFixed(2)}× (${failures} failed visits or turns)`,
    'target ≤ 1.2×',
  );
}

/**
 * `--capacity`: `npm run load` itself, in a process of its own with its own local stack and minted users
 * (seeding and logging in 10,000 users would take the password hash some ten minutes): 10,000 users over a
 * connect ramp, 3 turns each, all connected at once at the end; then 1,000 users, once through to warm up
 * (the service creates them, its caches fill), then soaking for `soakMinutes`, the soak's first minute at
 * full population against its last.
 */
export async function recordCapacity(record: Record, soakMinutes: number): Promise<void> {
  const capacity = await loadCommand(['--users', '10000', '--connect-ramp', '30', '--turns', '3', '--minted-users']);
  record(
    '(e) 10,000 users over a 30 s connect ramp, 3 turns each (npm run load)',
    `${capacity.peakOpenSockets} sockets open at once, ${capacity.verifiedRuns} of ${capacity.attempts} turns verified, ${capacity.connectsPerSecond} connects/s, ${capacity.runsPerSecond} runs/s, ${capacity.verifiedEventsPerSecond} events/s, completion p50 ${capacity.latency.completionMs.p50} ms p95 ${capacity.latency.completionMs.p95} ms p99 ${capacity.latency.completionMs.p99} ms, connect p95 ${capacity.latency.connectMs.p95} ms, client CPU ${capacity.clientCpuPerEventUs} µs/event, errors ${capacity.attempts - capacity.verifiedRuns}, leaks ${capacity.leaks}`,
    'target 0 errors, 0 leaks',
  );
  const population = { users: 1000, connectRamp: '10s', turns: 3 };
  const soak = await loadCommand([], { phases: [population, { ...population, thinkTime: '1s', soak: `${soakMinutes}m` }] });
  const drift = soak.soaks[0];
  record(
    `(e) soak: 1,000 users for ${soakMinutes} min, 3 turns and 1 s think time a visit, after a warm-up pass (npm run load)`,
    `completion p95 ${drift?.first.p95} ms in the first ${drift?.windowSeconds} s at full population, ${drift?.last.p95} ms in the last (${drift?.p95Change === undefined ? '–' : formatChange(drift.p95Change)}), ${soak.verifiedRuns} of ${soak.attempts} turns verified, ${soak.runsPerSecond} runs/s, ${soak.connected} connects, client CPU ${soak.clientCpuPerEventUs} µs/event, errors ${soak.attempts - soak.verifiedRuns}, leaks ${soak.leaks}`,
    'target last p95 within 20 % of the first',
  );
}

/** Runs `npm run load -- <args>`, with minted users and `scenario` as its file when given (its progress on this terminal), and returns its summary.json. */
async function loadCommand(args: string[], scenario?: object): Promise<LoadSummary> {
  const reportsDir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  try {
    const file = join(reportsDir, 'scenario.json');
    if (scenario) writeFileSync(file, JSON.stringify(scenario));
    const options = scenario ? ['--scenario', file, '--minted-users'] : args;
    console.log(`bench: (e) npm run load -- ${options.join(' ')}${scenario ? ` (${JSON.stringify(scenario)})` : ''}`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/load.ts', ...options], {
      env: { ...process.env, REPORTS_DIR: reportsDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // Interrupted, the bench passes the signal on: the command stops its own stack before it exits.
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const [onInterrupt, onTerminate] = [forward('SIGINT'), forward('SIGTERM')];
    process.once('SIGINT', onInterrupt).once('SIGTERM', onTerminate);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    process.off('SIGINT', onInterrupt).off('SIGTERM', onTerminate);
    if (exitCode !== 0) console.log(`bench: (e) npm run load exited ${exitCode}; its figures are still recorded`);
    return JSON.parse(readFileSync(join(reportsDir, 'load', 'summary.json'), 'utf8')) as LoadSummary;
  } finally {
    rmSync(reportsDir, { recursive: true, force: true });
  }
}
