import type { WebSocket } from 'ws';
import type { EncodeFrame } from './server-frames.ts';

/**
 * How a socket whose credential is refused ends: `close`, the contract's (1008 right after the upgrade,
 * no frame), or `error-then-close`, the real product's (one error frame, then 1008).
 */
export const WS_REFUSALS = ['close', 'error-then-close'] as const;
export type WsRefusal = (typeof WS_REFUSALS)[number];

/** RFC 6455: policy violation. */
const CLOSE_POLICY_VIOLATION = 1008;
/** A close reason may take 123 bytes; the reasons here are ASCII. */
const MAX_CLOSE_REASON = 123;

/** Ends an upgraded socket whose credential was refused; `reason` is `<code>: <message>`. */
export function refuseSocket(socket: WebSocket, reason: string, refusal: WsRefusal, encodeFrame: EncodeFrame): void {
  if (refusal === 'error-then-close') socket.send(encodeFrame({ type: 'error', code: 'AUTH_FAILED', message: reason }));
  socket.close(CLOSE_POLICY_VIOLATION, reason.slice(0, MAX_CLOSE_REASON));
}
