import { setTimeout as sleep } from 'node:timers/promises';
import { errorDescription, isCriticalEvent, isWelcome } from '../protocol/events.ts';
import { activeProtocol, type ProtocolProfile } from '../protocol/profile.ts';
import type { RecordingSocket } from './recording-socket.ts';

/** RFC 6455 policy violation: the contract's close code for a bad credential. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** RFC 6455 unsupported data: what a server answers when no offered subprotocol fits (the real product does). */
const CLOSE_UNSUPPORTED_DATA = 1003;
const DEFAULT_WAIT_MS = 3000;

export type Refusal =
  | { kind: 'http'; status: number }
  | { kind: 'close'; code: number; reason: string }
  /** Welcomed, sent an event, or neither refused nor closed in time: the server let the socket in. */
  | { kind: 'accepted'; received: string[] };

export const REFUSAL_RULE =
  'refused: HTTP 401 or 403 at the upgrade, or a close with 1008, 1003 or 4000-4999 before any welcome or event (error frames before the close are allowed)';

/** How the server answered a socket it should refuse: an HTTP status, a close, or a welcome, an event or silence (accepted). */
export async function refusalOf(socket: RecordingSocket, waitMs = DEFAULT_WAIT_MS, profile: ProtocolProfile = activeProtocol()): Promise<Refusal> {
  const admitted = socket
    .waitFor((frame) => admits(frame, profile), 'a welcome or an event', waitMs)
    .then(
      (): Refusal => ({ kind: 'accepted', received: socket.types() }),
      () => new Promise<never>(() => {}),
    );
  return Promise.race([
    socket.refused.then((refused): Refusal => ({ kind: 'http', status: refused.status })),
    socket.closed.then((closed): Refusal => ({ kind: 'close', code: closed.code, reason: closed.reason })),
    admitted,
    sleep(waitMs, undefined, { ref: false }).then((): Refusal => ({ kind: 'accepted', received: socket.types() })),
  ]);
}

/** A frame that only a socket the server let in receives: its welcome, or an event of a run. */
function admits(frame: Record<string, unknown>, profile: ProtocolProfile): boolean {
  return isWelcome(frame.type, profile) || isCriticalEvent(frame.type) || frame.run_id !== undefined;
}

export interface RefusalJudgement {
  refused: boolean;
  /** What the server did, in words: the evidence for either answer. */
  description: string;
}

/**
 * Whether a socket was refused, by what matters: no welcome and no event, and the upgrade failed with
 * 401/403 or the socket ended with a policy close. A welcome names the identity the server gave the
 * credential, so a "relaxed" or demo user shows in the failure.
 */
export function judgeRefusal(refusal: Refusal, frames: ReadonlyArray<Record<string, unknown>>, profile: ProtocolProfile = activeProtocol()): RefusalJudgement {
  const welcome = frames.find((frame) => isWelcome(frame.type, profile));
  const events = frames.filter((frame) => !isWelcome(frame.type, profile) && admits(frame, profile));
  const errors = frames.filter((frame) => frame.type === 'error').map(errorDescription);
  const afterErrors = errors.length > 0 ? ` after ${errors.length} error frame(s) (${errors.join('; ')})` : '';
  if (welcome) {
    const identity = welcome.user_id === undefined ? 'a user it did not name' : `user ${String(welcome.user_id)}`;
    return {
      refused: false,
      description: `welcomed the socket (${String(welcome.type)}) as ${identity}${events.length > 0 ? ` and sent ${events.map((frame) => String(frame.type)).join(', ')}` : ''}`,
    };
  }
  if (events.length > 0) return { refused: false, description: `sent ${events.map((frame) => String(frame.type)).join(', ')} without a welcome` };
  switch (refusal.kind) {
    case 'http':
      return refusal.status === 401 || refusal.status === 403
        ? { refused: true, description: `refused the upgrade with HTTP ${refusal.status}` }
        : { refused: false, description: `answered the upgrade with HTTP ${refusal.status}, which is not a refusal (401 or 403)` };
    case 'close': {
      const policyClose = refusal.code === CLOSE_POLICY_VIOLATION || refusal.code === CLOSE_UNSUPPORTED_DATA || (refusal.code >= 4000 && refusal.code <= 4999);
      const closed = `closed the socket with ${refusal.code}${refusal.reason ? ` "${refusal.reason}"` : ''}${afterErrors}`;
      return policyClose
        ? { refused: true, description: closed }
        : { refused: false, description: `${closed}, which is not a refusal (1008, 1003 or 4000-4999)` };
    }
    case 'accepted':
      return {
        refused: false,
        description: `left the socket open${refusal.received.length > 0 ? `, having sent ${refusal.received.join(', ')}` : ' without a word'}`,
      };
  }
}
