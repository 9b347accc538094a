import { formatDuration } from './durations.ts';
import type { Threshold } from './thresholds.ts';

interface PhaseTurns {
  /** Turns each user takes on its socket, each with a fresh nonce and the same checks. */
  turns: number;
  /** The pause after each turn: before the next, and in a soak before the user comes back. */
  thinkTimeMs: number;
}

/**
 * A fixed population (closed model): the users arrive spread over the connect ramp, each logs in (once per
 * run), opens its socket and takes its turns. Without a soak, each then holds its socket open until every
 * user of the phase has taken its turns, so all of them are connected at once. With `soakMs`, each leaves
 * after its turns and comes back with a new socket, until the soak is over.
 */
export interface UsersPhase extends PhaseTurns {
  kind: 'users';
  users: number;
  connectRampMs: number;
  soakMs?: number;
}

/** An open model: a new user arrives every 1/rate seconds for the duration, takes its turns, and leaves. */
export interface ArrivalPhase extends PhaseTurns {
  kind: 'arrival';
  ratePerSecond: number;
  durationMs: number;
}

export type LoadPhase = UsersPhase | ArrivalPhase;

export interface LoadScenario {
  phases: LoadPhase[];
  thresholds: Threshold[];
}

/** One machine's part of a distributed run: `index` from 0, of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_RUN: Shard = { index: 0, count: 1 };

/** The users a phase brings, on every machine together. */
export function phaseUsers(phase: LoadPhase): number {
  return phase.kind === 'users' ? phase.users : Math.floor(phase.ratePerSecond * (phase.durationMs / 1000));
}

/**
 * The users of `total` that a shard takes: every `count`-th from its index (0, N, 2N… on the first), so that
 * any phase's first users are spread evenly over the machines, a ramp or an arrival schedule keeps its
 * shape over all of them together, and a smaller phase takes a prefix of the same users.
 */
export function shardIndexes(total: number, shard: Shard): number[] {
  const indexes: number[] = [];
  for (let index = shard.index; index < total; index += shard.count) indexes.push(index);
  return indexes;
}

/** How many accounts a shard needs: the most any phase takes from it (phases run one after another and reuse them). */
export function accountsNeeded(scenario: Pick<LoadScenario, 'phases'>, shard: Shard): number {
  return Math.max(...scenario.phases.map((phase) => shardIndexes(phaseUsers(phase), shard).length));
}

/** `1,000 users, connect ramp 20 s, 3 turns, think time 1 s, soak 10 min`; `20 users/s for 30 s, 2 turns`. */
export function describePhase(phase: LoadPhase): string {
  const turns = [`${phase.turns} turn${phase.turns === 1 ? '' : 's'}`, ...(phase.thinkTimeMs > 0 ? [`think time ${formatDuration(phase.thinkTimeMs)}`] : [])];
  if (phase.kind === 'arrival') return [`${phase.ratePerSecond.toLocaleString('en-US')} users/s for ${formatDuration(phase.durationMs)}`, ...turns].join(', ');
  return [
    `${phase.users.toLocaleString('en-US')} users`,
    `connect ramp ${formatDuration(phase.connectRampMs)}`,
    ...turns,
    ...(phase.soakMs === undefined ? [] : [`soak ${formatDuration(phase.soakMs)}`]),
  ].join(', ');
}
