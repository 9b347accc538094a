import type { Session } from '../client/session.ts';
import type { HarnessSettings, LoginSettings } from '../config/settings.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import { earliestStage, type Stage } from '../verdict/stages.ts';
import type { WsAuthTransport } from '../ws/recording-socket.ts';
import { WHOLE_RUN } from './scenario.ts';
import { runScenario } from './scenario-runner.ts';

/** What every load run takes from its target and the suite's settings. */
export interface TargetOptions {
  baseUrl: string;
  wsUrl: string;
  transport: WsAuthTransport;
  login: LoginSettings;
  latency: LatencyThresholds;
}

export interface ConcurrentRunsOptions extends TargetOptions {
  users: readonly LoadUser[];
  /** Users arrive spread evenly over this long: each logs in, opens its socket, and asks. */
  rampMs: number;
  /**
   * At most this many logins in flight (unlimited when unset): logins then go at the pace the target
   * can hash passwords, however busy the machine, where a ramp has to guess that pace.
   */
  loginsInFlight?: number;
}

export function targetOptions(target: { baseUrl: string; wsUrl: string }, settings: Pick<HarnessSettings, 'wsAuth' | 'login' | 'latency'>): TargetOptions {
  return { baseUrl: target.baseUrl, wsUrl: target.wsUrl, transport: settings.wsAuth, login: settings.login, latency: settings.latency };
}

/** An account to log in with, or a synthetic user whose token was minted for it (no login then). */
export interface LoadUser {
  email: string;
  password?: string;
  session?: Session;
}

/**
 * One attempt of one user: a turn (its run's figures once verified, or the stage that failed it), or a
 * login or socket that failed before any turn. The first attempt of a visit carries its socket's connect
 * time, and a user's first attempt its login time.
 */
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
  /** When it ended (epoch ms), for the latency over time; figures made by hand in tests may have none. */
  at?: number;
}

/** What a load run counts: the whole run's totals, or one second's share of them. */
export interface LoadTotals {
  logins: number;
  connects: number;
  /** Runs verified complete, correct and answered. */
  runs: number;
  /** Frames of verified runs. */
  events: number;
  /** Attempts that failed. */
  errors: number;
  /** Frames that reached another user's socket. */
  leaks: number;
}

/** One second of a run (`at`, epoch ms, on a whole second): what happened in it, and the most visits under way and sockets open in it. */
export interface SecondCounts extends LoadTotals {
  at: number;
  phase: number;
  active: number;
  open: number;
}

/** When a phase ran (epoch ms): its ramp's end, after which its whole population is there; a soak's end, after which its users stop coming back. */
export interface PhaseWindow {
  label: string;
  startedAt: number;
  rampEndedAt: number;
  soakEndsAt?: number;
  endedAt: number;
}

export interface ConcurrentRunsResult {
  outcomes: UserOutcome[];
  /** From the first login's start to the last login's end. */
  loginPhaseMs: number;
  /** From the first socket's opening to the last welcome. */
  connectPhaseMs: number;
  /** From the first prompt to the last run's end. */
  runPhaseMs: number;
  seconds: SecondCounts[];
  phases: PhaseWindow[];
  /** CPU time this process used during the run: the harness's own cost, per verified event in the summary. */
  clientCpuMs: number;
}

/**
 * Many users at once, each through the golden path over the API: they arrive over the ramp, each logs
 * in, opens a socket and asks a question with its own nonce, and holds its socket open until every user
 * has asked; every run is checked in full (sequence, fields, ownership, answer) and every frame on every
 * socket against its owner, so a cross-user leak shows as the frame that leaked. One phase of runScenario.
 */
export function runConcurrently(options: ConcurrentRunsOptions): Promise<ConcurrentRunsResult> {
  return runScenario({
    ...options,
    phases: [{ kind: 'users', users: options.users.length, connectRampMs: options.rampMs, turns: 1, thinkTimeMs: 0 }],
    shard: WHOLE_RUN,
  });
}

/**
 * How many frames leaked to another user's socket, and a message for the failure: the count and the first
 * ten. A fan-out bug leaks tens of thousands of frames, and all of them would bury the finding.
 */
export function leakReport(outcomes: readonly UserOutcome[]): { count: number; message: string } {
  const leaks = outcomes.flatMap(({ email, leaks }) => leaks.map((leak) => `${email}: ${leak}`));
  return {
    count: leaks.length,
    message: `${leaks.length} frames reached another user's socket; the first ${Math.min(leaks.length, 10)}:\n${leaks.slice(0, 10).join('\n')}`,
  };
}

/** The earliest stage any attempt failed at, in the verdict's order, and how many users failed. */
export function earliestFailure(outcomes: readonly UserOutcome[]): { stage: Stage; message: string; users: number } | undefined {
  const failed = outcomes.filter((outcome) => outcome.failure);
  const stage = earliestStage(failed.map((outcome) => outcome.failure!.stage));
  if (!stage) return undefined;
  const first = failed.find((outcome) => outcome.failure!.stage === stage)!;
  return { stage, message: `${first.email}: ${first.failure!.message}`, users: new Set(failed.map(({ email }) => email)).size };
}
