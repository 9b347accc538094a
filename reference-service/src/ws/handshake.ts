import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerFrame } from './server-frames.ts';

/**
 * WS_HANDSHAKE: the later product's session handshake. The server names a new thread for the socket (stored,
 * as every thread here, by the first run in it) and sends
 * `handshake_response` (after or before the welcome); the client acknowledges with that thread id and the
 * server answers `handshake_complete`. Only then may the client start runs, and only in that thread.
 */
export const WS_HANDSHAKES = ['off', 'after-welcome', 'before-welcome'] as const;
export type WsHandshake = (typeof WS_HANDSHAKES)[number];

/** A server run id as the later product wrote it: `run_sess_` and 32 hex digits (the hex of the run's UUID). */
export function sessionRunId(runId: string): string {
  return `run_sess_${runId.replaceAll('-', '')}`;
}

type ErrorFrame = ServerFrame & { type: 'error'; code: string; message: string };

export type Admission = { ok: true; threadId: string } | { ok: false; refusal: ErrorFrame };

export class SocketHandshake {
  readonly threadId = randomUUID();
  #complete = false;

  response(): ServerFrame {
    return {
      type: 'handshake_response',
      thread_id: this.threadId,
      run_id: sessionRunId(randomUUID()),
      request_id: randomUUID(),
      session_token: randomBytes(32).toString('base64url'),
    };
  }

  /** The answer to `handshake_acknowledged`: handshake_complete when it names this socket's thread. */
  acknowledge(threadId: string | undefined): ServerFrame {
    if (threadId !== this.threadId) return mismatch(threadId, this.threadId);
    this.#complete = true;
    return { type: 'handshake_complete', thread_id: this.threadId };
  }

  /**
   * Whether a start message may run: only after the handshake, and in its thread (a message naming none
   * runs there too). `anyThread` is the accept_foreign_thread fault: the check that thread is this socket's is skipped.
   */
  admit(threadId: string | undefined, anyThread: boolean): Admission {
    if (!this.#complete) {
      return {
        ok: false,
        refusal: {
          type: 'error',
          code: 'handshake_required',
          message: 'answer handshake_response with {"type":"handshake_acknowledged","thread_id":<its thread_id>} and wait for handshake_complete',
        },
      };
    }
    if (threadId === undefined || threadId === this.threadId || anyThread) return { ok: true, threadId: threadId ?? this.threadId };
    return { ok: false, refusal: mismatch(threadId, this.threadId) };
  }
}

function mismatch(given: string | undefined, expected: string): ErrorFrame {
  return { type: 'error', code: 'thread_mismatch', message: `this socket's thread is ${expected}, not ${given ?? '(none)'}` };
}
