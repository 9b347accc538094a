import type { HarnessSettings } from '../config/settings.ts';
import { earliestStage, type Stage } from '../verdict/stages.ts';
import { WHOLE_RUN } from './scenario.ts';
import { runScenario } from './scenario-runner.ts';
import type { ConcurrentRunsResult, LoadUser, TargetOptions, UserOutcome } from './types.ts';

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

export function targetOptions(
  target: { baseUrl: string; wsUrl: string },
  settings: Pick<HarnessSettings, 'wsAuth' | 'login' | 'ticket' | 'latency'>,
): TargetOptions {
  return {
    baseUrl: target.baseUrl,
    wsUrl: target.wsUrl,
    transport: settings.wsAuth,
    login: settings.login,
    ticket: settings.ticket,
    latency: settings.latency,
  };
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
