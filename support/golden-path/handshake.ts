import { SECRET_NAME, registerSecret } from '../evidence/redaction/secrets.ts';
import { errorDescription } from '../protocol/events.ts';
import type { Handshake } from '../protocol/profile.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';
import { fillTemplate } from '../json/template.ts';

/**
 * Completes the service's handshake on a welcomed socket: waits for its opening frame (which may have
 * come before the welcome), sends the reply filled from it, and waits for the confirmation. The opening
 * frame is kept on the socket, so a start message can name what it handed out ({{handshake.thread_id}}).
 */
export async function completeHandshake(socket: RecordingSocket, handshake: Handshake, timeoutMs: number): Promise<void> {
  const opening = await socket
    .waitFor((frame) => frame.type === handshake.frame, `the handshake's ${handshake.frame} frame`, timeoutMs)
    .catch((error: Error) => {
      throw new Error(`${error.message}: if this service asks for no handshake, or opens it with another frame, correct HANDSHAKE_FRAME`);
    });
  for (const [field, value] of Object.entries(opening)) if (SECRET_NAME.test(field) && typeof value === 'string') registerSecret(value);
  const earlier = new Set(socket.frames.map(({ frame }) => frame));
  socket.send(fillTemplate(handshake.reply, { handshake: opening }, 'HANDSHAKE_REPLY'));
  if (handshake.done !== undefined) {
    const done = handshake.done;
    const answer = await socket
      .waitFor((frame) => !earlier.has(frame) && (frame.type === done || frame.type === 'error'), `the handshake's ${done} frame`, timeoutMs)
      .catch((error: Error) => {
        throw new Error(`${error.message}: correct HANDSHAKE_REPLY (what the client answers) or HANDSHAKE_DONE (what the service confirms with)`);
      });
    if (answer.type === 'error')
      throw new Error(`the service answered the handshake's reply with an error (${errorDescription(answer)}): correct HANDSHAKE_REPLY`);
  }
  socket.handshake = opening;
}
