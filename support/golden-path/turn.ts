import { createHash, randomUUID } from 'node:crypto';
import { errorDescription, isCriticalEvent } from '../protocol/events.ts';
import { activeProtocol, type ProtocolProfile } from '../protocol/profile.ts';
import { withMachineLock } from '../stack/machine-lock.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';
import type { NoncePrompt } from './nonce.ts';
import { fillTemplate } from '../json/template.ts';

/** One prompt of one user, and what the harness chose to find its run by. */
export interface Turn {
  prompt: NoncePrompt;
  userId: string;
  /** The conversation the start message named (chosen here, or handed out by the handshake); undefined when it names none (or a UI sent it). */
  threadId: string | undefined;
  /** The request id sent in the start message; undefined when START_MESSAGE has no {{request_id}}. */
  requestId: string | undefined;
  /** When the prompt left, on the socket's clock. */
  sentAt: number;
  /** The runs the socket knew before the prompt: none of them is this turn's. */
  knownRuns: ReadonlySet<unknown>;
}

export type FoundBy = 'thread id' | 'request id' | 'nonce' | 'the only new run';

/**
 * The start message of START_MESSAGE, with the prompt, the ids and what the socket's handshake handed
 * out put in its string values.
 */
export function startMessage(
  text: string,
  ids: { threadId: string; requestId: string },
  profile: ProtocolProfile = activeProtocol(),
  handshake?: Record<string, unknown>,
): Record<string, unknown> {
  return fillTemplate(profile.startMessage, { text, thread_id: ids.threadId, request_id: ids.requestId, handshake }, 'START_MESSAGE');
}

/** The conversation the start message names: the one the harness chose, or the one the handshake handed out. */
function namedThread(profile: ProtocolProfile, chosen: string, handshake: Record<string, unknown> | undefined): string | undefined {
  if (profile.startMessage.includes('{{thread_id}}')) return chosen;
  if (profile.startMessage.includes('{{handshake.thread_id}}')) return handshake?.thread_id as string | undefined;
  return undefined;
}

/** Whether the start message names a conversation at all, so a test can name another user's. */
export function startMessageNamesThread(profile: ProtocolProfile = activeProtocol()): boolean {
  return profile.startMessage.includes('{{thread_id}}') || profile.startMessage.includes('{{handshake.thread_id}}');
}

/** Sends the prompt in the target's start-message shape, with a thread id and a request id chosen for this turn. */
export function sendTurn(socket: RecordingSocket, prompt: NoncePrompt, userId: string, profile: ProtocolProfile = activeProtocol()): Turn {
  const ids = { threadId: randomUUID(), requestId: randomUUID() };
  const knownRuns = new Set(socket.frames.map(({ frame }) => frame.run_id));
  const sentAt = socket.send(startMessage(prompt.prompt, ids, profile, socket.handshake));
  return {
    prompt,
    userId,
    threadId: namedThread(profile, ids.threadId, socket.handshake),
    requestId: profile.startMessage.includes('{{request_id}}') ? ids.requestId : undefined,
    sentAt,
    knownRuns,
  };
}

/** A turn whose prompt someone else sends (the UI), watched from this socket from now on. */
export function watchTurn(socket: RecordingSocket, prompt: NoncePrompt, userId: string): Turn {
  return {
    prompt,
    userId,
    threadId: undefined,
    requestId: undefined,
    sentAt: socket.elapsed(),
    knownRuns: new Set(socket.frames.map(({ frame }) => frame.run_id)),
  };
}

/**
 * Finds the run of this turn without relying on the prompt being echoed: by an id the harness sent that
 * comes back, by the prompt's nonce, or as the new run on the user's sockets that names no other
 * conversation and no other user. The last needs no other run of the user to start meanwhile: a fresh
 * user per test locally, one turn at a time per account externally (withAccountTurn).
 */
export async function awaitOwnRun(socket: RecordingSocket, turn: Turn, timeoutMs: number): Promise<{ runId: unknown; foundBy: FoundBy }> {
  let foundBy: FoundBy = 'the only new run';
  const strays: string[] = [];
  const isOwn = (frame: Record<string, unknown>): boolean => {
    if (frame.run_id === undefined || turn.knownRuns.has(frame.run_id)) return false;
    if (turn.threadId !== undefined && frame.thread_id === turn.threadId) return ((foundBy = 'thread id'), true);
    if (turn.requestId !== undefined && frame.request_id === turn.requestId) return ((foundBy = 'request id'), true);
    if (JSON.stringify(frame).includes(turn.prompt.needle)) return ((foundBy = 'nonce'), true);
    const otherThread = turn.threadId !== undefined && frame.thread_id !== undefined && frame.thread_id !== null;
    const otherUser = frame.user_id !== undefined && frame.user_id !== null && frame.user_id !== turn.userId;
    if (otherThread || otherUser) {
      strays.push(`${String(frame.type)} of run ${String(frame.run_id)} (thread ${String(frame.thread_id)}, user ${String(frame.user_id)})`);
      return false;
    }
    return true;
  };
  try {
    const first = await socket.waitFor(isOwn, `the run of "${turn.prompt.prompt}"`, timeoutMs);
    return { runId: first.run_id, foundBy };
  } catch (error) {
    const refusals = socket.frames
      .filter(({ at, frame }) => at >= turn.sentAt && frame.type === 'error' && frame.run_id === undefined)
      .map(({ frame }) => errorDescription(frame));
    if (refusals.length > 0) {
      throw new Error(
        `${(error as Error).message}; the service answered the start message with an error (${refusals[0]}): if it reads another start message, set START_MESSAGE to its shape`,
      );
    }
    const unbound = socket.frames.filter(({ at, frame }) => at >= turn.sentAt && isCriticalEvent(frame.type) && frame.run_id === undefined);
    if (unbound.length > 0) {
      const fields = Object.keys(unbound[0]!.frame).join(', ');
      throw new Error(
        `${(error as Error).message}; events of a run arrived with no run_id (${unbound[0]!.frame.type as string}: ${fields}): if the service names its ids otherwise (runId, conversationId…), set WS_ID_FIELDS`,
      );
    }
    if (strays.length === 0) throw error;
    throw new Error(
      `${(error as Error).message}; new runs arrived, none of them this turn's (thread ${String(turn.threadId)}): ${[...new Set(strays)].slice(0, 5).join('; ')}: a reply filed under another conversation or user`,
    );
  }
}

/**
 * Runs one turn of an account while no other turn of the same account runs on this machine, when the
 * target is shared (external): a run found as "the only new run" must be the only one. Locally every
 * test has a user of its own, and nothing waits.
 */
export async function withAccountTurn<T>(target: 'local' | 'external', email: string, body: () => Promise<T>): Promise<T> {
  if (target === 'local') return body();
  const account = createHash('sha256').update(email).digest('hex').slice(0, 16);
  return withMachineLock(`golden-path-turn-${account}`, body);
}
