import type { Session } from '../client/session.ts';
import type { HarnessSettings, LoginSettings } from '../config/settings.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import { earliestStage, type Stage } from '../verdict/stages.ts';
import type { WsAuthTransport } from '../ws/recording-socket.ts';
import { semaphore } from './semaphore.ts';
import { UserRun } from './user-run.ts';

export interface ConcurrentRunsOptions {
  baseUrl: string;
  wsUrl: string;
  transport: WsAuthTransport;
  login: Pick<LoginSettings, 'strategy' | 'bypass'>;
  users: readonly LoadUser[];
  latency: LatencyThresholds;
  /** Users start their login and socket spread evenly over this long. */
  rampMs: number;
  /**
   * At most this many logins in flight (unlimited when unset): logins then go at the pace the target
   * can hash passwords, however busy the machine, where a ramp has to guess that pace.
   */
  loginsInFlight?: number;
  /** Called whenever a count changes, for live progress. */
  onProgress?: (progress: Readonly<LoadProgress>) => void;
}

/** What every load run takes from its target and the suite's settings. */
export function targetOptions(
  target: { baseUrl: string; wsUrl: string },
  settings: Pick<HarnessSettings, 'wsAuth' | 'login' | 'latency'>,
): Pick<ConcurrentRunsOptions, 'baseUrl' | 'wsUrl' | 'transport' | 'login' | 'latency'> {
  return { baseUrl: target.baseUrl, wsUrl: target.wsUrl, transport: settings.wsAuth, login: settings.login, latency: settings.latency };
}

/** An account to log in with, or a synthetic user whose token was minted for it (no login then). */
export interface LoadUser {
  email: string;
  password?: string;
  session?: Session;
}

export interface LoadProgress {
  loggedIn: number;
  connected: number;
  runsDone: number;
  failed: number;
}

/** What happened to one user: the first stage that failed for it, or its run's figures. */
export interface UserOutcome {
  email: string;
  failure?: { stage: Stage; message: string };
  /** Frames of other users' runs, or naming another user, that reached this user's socket. */
  leaks: string[];
  /** Frames of its own run, counted once the run was checked complete, correct and answered. */
  verifiedEvents: number;
  loginMs?: number;
  connectMs?: number;
  firstEventMs?: number;
  completionMs?: number;
}

export interface ConcurrentRunsResult {
  outcomes: UserOutcome[];
  /** From the first login to the last, over the ramp. */
  loginPhaseMs: number;
  /** From opening the first socket (all open at once) to the last welcome. */
  connectPhaseMs: number;
  /** From the first prompt to the last run's end. */
  runPhaseMs: number;
}

/**
 * Many users at once, each through the golden path over the API: log in, open a socket, and, once every
 * socket is open, ask a question with its own nonce; then every run is checked in full (sequence,
 * fields, ownership, answer) and every frame on every socket is checked against its owner, so a
 * cross-user leak shows as the frame that leaked.
 */
export async function runConcurrently(options: ConcurrentRunsOptions): Promise<ConcurrentRunsResult> {
  const progress: LoadProgress = { loggedIn: 0, connected: 0, runsDone: 0, failed: 0 };
  const count = (key: keyof LoadProgress) => {
    progress[key]++;
    options.onProgress?.(progress);
  };
  const shared = { options, logins: semaphore(options.loginsInFlight ?? Infinity), count };
  const runs = options.users.map((user) => new UserRun(user, shared));
  const step = runs.length > 1 ? options.rampMs / (runs.length - 1) : 0;

  // Logins arrive over the ramp: a password check is deliberately slow (scrypt), so a login storm
  // measures the hash, not the service. Sockets then open all at once, and runs start all at once.
  const loginPhaseMs = await timed(() => Promise.all(runs.map((run, index) => run.logIn(index * step))));
  const connectPhaseMs = await timed(() => Promise.all(runs.map((run) => run.connect())));
  const runPhaseMs = await timed(() => Promise.all(runs.map((run) => run.askAndCheck())));

  const everyRun = new Set(runs.map(({ runId }) => runId).filter((runId) => runId !== undefined));
  for (const run of runs) run.closeAndFindLeaks(everyRun);
  return { outcomes: runs.map(({ outcome }) => outcome), loginPhaseMs, connectPhaseMs, runPhaseMs };
}

/** How long a phase took, all its users together. */
async function timed(phase: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await phase();
  return performance.now() - started;
}

/**
 * How many frames leaked to another user's socket, and a message for the failure: the count and the first
 * ten. A fan-out bug leaks tens of thousands of frames, and all of them would bury the finding.
 */
export function leakReport(outcomes: readonly UserOutcome[]): { count: number; message: string } {
  const leaks = outcomes.flatMap(({ email, leaks }) => leaks.map((leak) => `${email}: ${leak}`));
  return { count: leaks.length, message: `${leaks.length} frames reached another user's socket; the first ${Math.min(leaks.length, 10)}:\n${leaks.slice(0, 10).join('\n')}` };
}

/** The earliest stage any user failed at, in the verdict's order. */
export function earliestFailure(outcomes: readonly UserOutcome[]): { stage: Stage; message: string; users: number } | undefined {
  const failed = outcomes.filter((outcome) => outcome.failure);
  const stage = earliestStage(failed.map((outcome) => outcome.failure!.stage));
  if (!stage) return undefined;
  const first = failed.find((outcome) => outcome.failure!.stage === stage)!;
  return { stage, message: `${first.email}: ${first.failure!.message}`, users: failed.length };
}
