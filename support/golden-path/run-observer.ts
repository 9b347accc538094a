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

/**
 * How long a run must stay quiet after agent_completed before "exactly once, and last" is judged: a
 * duplicate or a late event relayed through the service's pub/sub arrives as a separate frame, often
 * after the check would otherwise have run (the fault matrix caught exactly that race).
 */
export const SETTLE_MS = 100;

/**
 * Waits for the run's agent_completed (or a close), then until the run has been quiet for SETTLE_MS, and
 * returns its final answer if it came.
 */
export async function awaitCompletion(socket: RecordingSocket, runId: unknown, timeoutMs: number): Promise<string | undefined> {
  const completed = await socket
    .waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, `agent_completed of run ${String(runId)}`, timeoutMs)
    .catch(() => undefined);
  if (completed) await quietFor(socket, runId, SETTLE_MS);
  return typeof completed?.final_response === 'string' ? completed.final_response : undefined;
}

async function quietFor(socket: RecordingSocket, runId: unknown, quietMs: number): Promise<void> {
  for (;;) {
    const lastOfRun = socket.frames.findLast(({ frame }) => frame.run_id === runId)?.at ?? 0;
    const remaining = lastOfRun + quietMs - socket.elapsed();
    if (remaining <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, remaining));
  }
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
