import { isWelcome } from '../protocol/events.ts';
import { completeHandshake } from './handshake.ts';
import { StageFailure } from '../verdict/stages.ts';
import { activeProtocol, type ProtocolProfile } from '../protocol/profile.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';

/**
 * Waits for a socket's first frame and checks it is the welcome, in the form the profile expects: a
 * service whose welcome or envelope differs from the settings is named here, with the setting to change,
 * rather than as a missing event later. Where the service asks for a handshake (HANDSHAKE_FRAME), its
 * opening frame may come before the welcome, and the socket is ready only once the handshake is complete.
 */
export async function awaitWelcome(socket: RecordingSocket, timeoutMs: number, profile: ProtocolProfile = activeProtocol()): Promise<Record<string, unknown>> {
  const welcomes = profile.welcomeTypes.join(' or ');
  const opensHandshake = (frame: Record<string, unknown>) => profile.handshake !== undefined && frame.type === profile.handshake.frame;
  // An error frame first is how some services refuse a credential before they close: the close, not the error, says why.
  const first = await socket.waitFor((frame) => !opensHandshake(frame) && frame.type !== 'error', `the welcome frame (${welcomes})`, timeoutMs);
  if (first.type === '__invalid__' && typeof first.raw === 'object' && first.raw !== null) {
    throw new Error(
      `the first frame has no type at WS_TYPE_KEY=${profile.typeKey} (its fields: ${Object.keys(first.raw).join(', ')}): set WS_TYPE_KEY to the field that holds a frame's type`,
    );
  }
  if (!isWelcome(first.type, profile)) {
    throw new Error(
      `the first frame was ${String(first.type)}, not a welcome (${welcomes}): if that is this service's welcome, add it to WS_WELCOME_TYPES; if it opens a handshake the service asks for, set HANDSHAKE_FRAME and HANDSHAKE_REPLY`,
    );
  }
  const envelope = socket.frames.find(({ frame }) => frame === first)!.envelope;
  if (profile.envelope !== 'auto' && envelope !== profile.envelope) {
    throw new Error(`the welcome frame came in the ${envelope} form, but WS_ENVELOPE=${profile.envelope}: set WS_ENVELOPE=${envelope}, or auto`);
  }
  if (profile.handshake) await completeHandshake(socket, profile.handshake, timeoutMs);
  return first;
}

/**
 * How long a run must stay quiet after agent_completed before "exactly once, and last" is judged: a
 * duplicate or a late event relayed through the service's pub/sub arrives as a separate frame, often
 * after the check would otherwise have run (the fault matrix caught exactly that race). Such a frame is
 * one relay behind the one before it, like every other frame of the run, so the wait is ten times the
 * longest gap between the run's frames, between 30 ms (an idle machine relays in 1 to 3 ms) and 100 ms.
 */
export function settleWindowMs(frameTimes: readonly number[]): number {
  const longestGap = frameTimes.slice(1).reduce((longest, at, index) => Math.max(longest, at - frameTimes[index]!), 0);
  return Math.min(SETTLE_MAX_MS, Math.max(SETTLE_MIN_MS, 10 * longestGap));
}
const SETTLE_MIN_MS = 30;
const SETTLE_MAX_MS = 100;

/**
 * Waits for the run's agent_completed (or a close), then until the run has been quiet for its settle
 * window, and returns that event if it came (its answer is read with answerAt).
 */
export async function awaitCompletion(socket: RecordingSocket, runId: unknown, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  const completed = await socket
    .waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, `agent_completed of run ${String(runId)}`, timeoutMs)
    .catch(() => undefined);
  if (completed) await quietFor(socket, runId);
  return completed;
}

async function quietFor(socket: RecordingSocket, runId: unknown): Promise<void> {
  for (;;) {
    const times = socket.frames.filter(({ frame }) => frame.run_id === runId).map(({ at }) => at);
    const remaining = (times.at(-1) ?? 0) + settleWindowMs(times) - socket.elapsed();
    if (remaining <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, remaining));
  }
}

/**
 * Opens a socket for the session through the chatSocket factory and resolves once it is welcomed as the
 * session's user: a welcome that names anyone else (a prefix of the id, a demo or "relaxed" user) is a
 * security failure, since every event the socket then receives is judged against the wrong identity.
 */
export async function openWelcomed(
  factory: { open(accessToken: string): Promise<RecordingSocket>; readonly transport: string },
  session: { userId: string; accessToken: string },
  timeoutMs: number,
): Promise<RecordingSocket> {
  const socket = await factory.open(session.accessToken);
  let welcome: Record<string, unknown>;
  try {
    welcome = await awaitWelcome(socket, timeoutMs);
  } catch (error) {
    const { closed, refused } = socket.ending;
    if (refused || closed?.code === 1008) {
      const answer = refused ? `HTTP ${refused.status} ${refused.body.slice(0, 200)}` : `close 1008 "${closed!.reason}"`;
      throw new Error(
        `the service refused the harness's socket with WS_AUTH=${factory.transport} (${answer}): if the user's token is good, the service does not take it this way: set WS_AUTH to a transport it accepts (subprotocol, header, query or ticket), and leave it out of WS_AUTH_ACCEPTED if the refusal is meant; or the credential's shape differs: WS_SUBPROTOCOLS, WS_QUERY, WS_HEADERS`,
      );
    }
    throw error;
  }
  expectWelcomedAs(welcome, session.userId);
  return socket;
}

/** A welcome that names a user must name exactly this one; one that names none is left to the ownership checks. */
export function expectWelcomedAs(welcome: Record<string, unknown>, userId: string): void {
  if (welcome.user_id !== undefined && welcome.user_id !== userId) {
    throw new StageFailure(
      'security',
      `the service welcomed the socket as user ${String(welcome.user_id)}, but the token is user ${userId}'s: a socket must be bound to its credential's identity, exactly`,
    );
  }
}
