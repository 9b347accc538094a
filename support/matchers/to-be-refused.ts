import type { ExpectMatcherState } from '@playwright/test';
import { judgeRefusal, refusalOf, REFUSAL_RULE } from '../ws/refusal.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';

/** Waits for the server's answer to a socket that must not get in, and judges it by REFUSAL_RULE. */
export async function toBeRefused(this: ExpectMatcherState, socket: RecordingSocket, options: { waitMs?: number } = {}) {
  const refusal = await refusalOf(socket, options.waitMs);
  const { refused, description } = judgeRefusal(refusal, socket.frames.map(({ frame }) => frame));
  return {
    name: 'toBeRefused',
    pass: refused,
    message: () => (refused ? `Expected the socket to be let in, but the service ${description}` : `Expected: ${REFUSAL_RULE}\nReceived: the service ${description}`),
  };
}
