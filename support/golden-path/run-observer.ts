import { isWelcome } from '../protocol/events.ts';
import { activeProtocol, type ProtocolProfile } from '../protocol/profile.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';

/**
 * Waits for a socket's first frame and checks it is the welcome, in the form the profile expects: a
 * service whose welcome or envelope differs from the settings is named here, with the setting to change,
 * rather than as a missing event later.
 */
export async function awaitWelcome(socket: RecordingSocket, timeoutMs: number, profile: ProtocolProfile = activeProtocol()): Promise<Record<string, unknown>> {
  const welcomes = profile.welcomeTypes.join(' or ');
  const first = await socket.waitFor(() => true, `the welcome frame (${welcomes})`, timeoutMs);
  if (!isWelcome(first.type, profile)) {
    throw new Error(`the first frame was ${String(first.type)}, not a welcome (${welcomes}): if that is this service's welcome, add it to WS_WELCOME_TYPES`);
  }
  const envelope = socket.frames[0]!.envelope;
  if (profile.envelope !== 'auto' && envelope !== profile.envelope) {
    throw new Error(`the welcome frame came in the ${envelope} form, but WS_ENVELOPE=${profile.envelope}: set WS_ENVELOPE=${envelope}, or auto`);
  }
  return first;
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
  factory: { open(accessToken: string): Promise<RecordingSocket>; readonly transport: string },
  accessToken: string,
  timeoutMs: number,
): Promise<RecordingSocket> {
  const socket = await factory.open(accessToken);
  try {
    await awaitWelcome(socket, timeoutMs);
  } catch (error) {
    const { closed, refused } = socket.ending;
    if (refused || closed?.code === 1008) {
      const answer = refused ? `HTTP ${refused.status} ${refused.body.slice(0, 200)}` : `close 1008 "${closed!.reason}"`;
      throw new Error(
        `the service refused the harness's socket with WS_AUTH=${factory.transport} (${answer}): if the user's token is good, the service does not take it this way: set WS_AUTH to a transport it accepts (subprotocol, header, query or ticket)`,
      );
    }
    throw error;
  }
  return socket;
}
