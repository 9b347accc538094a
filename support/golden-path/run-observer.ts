import { WELCOME_EVENTS, isWelcome } from '../protocol/events.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';

/** Waits for the welcome frame a socket gets first (connection_established, or connection_ready). */
export function awaitWelcome(socket: RecordingSocket, timeoutMs: number) {
  return socket.waitFor((frame) => isWelcome(frame.type), `a welcome frame (${WELCOME_EVENTS.join(' or ')})`, timeoutMs);
}

/**
 * The run id of the first frame that mentions `needle` (the prompt's nonce): the run this test started,
 * found whatever its first event is, and never confused with another run of the same user.
 */
export async function awaitRunMentioning(socket: RecordingSocket, needle: string, timeoutMs: number): Promise<unknown> {
  const frame = await socket.waitFor(
    (candidate) => candidate.run_id !== undefined && JSON.stringify(candidate).includes(needle),
    `an event of the run of "${needle}"`,
    timeoutMs,
  );
  return frame.run_id;
}

/** Waits for the run's agent_completed (or a close), and returns its final answer if it came. */
export async function awaitCompletion(socket: RecordingSocket, runId: unknown, timeoutMs: number): Promise<string | undefined> {
  const completed = await socket
    .waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, `agent_completed of run ${String(runId)}`, timeoutMs)
    .catch(() => undefined);
  return typeof completed?.final_response === 'string' ? completed.final_response : undefined;
}

/** Opens a socket for the token through the chatSocket factory and resolves once it is welcomed. */
export async function openWelcomed(
  factory: { open(accessToken: string): Promise<RecordingSocket> },
  accessToken: string,
  timeoutMs: number,
): Promise<RecordingSocket> {
  const socket = await factory.open(accessToken);
  await awaitWelcome(socket, timeoutMs);
  return socket;
}
