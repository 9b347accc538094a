import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordingSocket } from './recording-socket.ts';

/** RFC 6455 policy violation: the contract's close code for a bad credential. */
export const CLOSE_POLICY_VIOLATION = 1008;
const DEFAULT_WAIT_MS = 3000;

export type Refusal =
  | { kind: 'http'; status: number }
  | { kind: 'close'; code: number; reason: string }
  /** Neither refused nor closed in time: the server let the socket in. */
  | { kind: 'accepted'; received: string[] };

/** How the server answered a socket it should refuse: an HTTP status, a close, or neither (accepted). */
export async function refusalOf(socket: RecordingSocket, waitMs = DEFAULT_WAIT_MS): Promise<Refusal> {
  return Promise.race([
    socket.refused.then((refused): Refusal => ({ kind: 'http', status: refused.status })),
    socket.closed.then((closed): Refusal => ({ kind: 'close', code: closed.code, reason: closed.reason })),
    sleep(waitMs, undefined, { ref: false }).then((): Refusal => ({ kind: 'accepted', received: socket.types() })),
  ]);
}

/** True for the two refusals the contract allows for a bad credential: HTTP 401, or close 1008. */
export function isAuthRefusal(refusal: Refusal): boolean {
  if (refusal.kind === 'http') return refusal.status === 401;
  return refusal.kind === 'close' && refusal.code === CLOSE_POLICY_VIOLATION;
}

/** True for any refusal at or right after the upgrade. */
export function isRefused(refusal: Refusal): boolean {
  return refusal.kind !== 'accepted';
}
