// The ground of support/load: what a run is given and what it gives back, named here once for the runner and
// for the figures, thresholds and pages above it. Types only, importing nothing else of the folder, so that no
// file has to import a layer above its own to name what it handles.

import type { Session } from '../client/session.ts';
import type { LoginSettings, TicketSettings } from '../config/settings.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import type { Stage } from '../verdict/stages.ts';
import type { WsAuthTransport } from '../ws/recording-socket.ts';

/** What every load run takes from its target and the suite's settings. */
export interface TargetOptions {
  baseUrl: string;
  wsUrl: string;
  transport: WsAuthTransport;
  login: LoginSettings;
  ticket: TicketSettings;
  latency: LatencyThresholds;
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

/** The timings a load run takes of each attempt, in the golden path's order. */
export type Measure = 'loginMs' | 'connectMs' | 'firstEventMs' | 'completionMs';

/**
 * What a summary is made of: a run's figures, or each shard's of a distributed one. Every run has its
 * timeline and phases; figures written by hand (in tests) may leave them out, and their summary has no
 * latency over time.
 */
export type LoadFigures = Pick<ConcurrentRunsResult, 'outcomes' | 'loginPhaseMs' | 'connectPhaseMs' | 'runPhaseMs'> &
  Partial<Pick<ConcurrentRunsResult, 'seconds' | 'phases' | 'clientCpuMs'>>;
