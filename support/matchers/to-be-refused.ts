import type { ExpectMatcherState } from '@playwright/test';
import { judgeRefusal, refusalOf, REFUSAL_RULE } from '../ws/refusal.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';

/** Waits for the server's answer to a socket that must not get in, and judges it by REFUSAL_RULE. */
export async function toBeRefused(this: ExpectMatcherState, socket: RecordingSocket, options: { waitMs?: number } = {}) {
  const refusal = await refusalOf(socket, options.waitMs);
  const { refused, description } = judgeRefusal(
    refusal,
    socket.frames.map(({ frame }) => frame),
  );
  return {
    name: 'toBeRefused',
    pass: refused,
    // The identity a bad credential was given goes on the first line: it is the line a verdict quotes.
    message: () =>
      refused
        ? `Expected the socket to be let in, but the service ${description}`
        : `Expected the socket to be refused, but the service ${description}\nExpected: ${REFUSAL_RULE}`,
  };
}
