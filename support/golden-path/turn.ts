import { createHash, randomUUID } from 'node:crypto';
import { activeProtocol, type ProtocolProfile } from '../protocol/profile.ts';
import { withMachineLock } from '../stack/machine-lock.ts';
import type { RecordingSocket } from '../ws/recording-socket.ts';
import type { NoncePrompt } from './nonce.ts';

/** One prompt of one user, and what the harness chose to find its run by. */
export interface Turn {
  prompt: NoncePrompt;
  userId: string;
  /** The conversation id sent in the start message; undefined when START_MESSAGE has no {{thread_id}} (or a UI sent it). */
  threadId: string | undefined;
  /** The request id sent in the start message; undefined when START_MESSAGE has no {{request_id}}. */
  requestId: string | undefined;
  /** When the prompt left, on the socket's clock. */
  sentAt: number;
  /** The runs the socket knew before the prompt: none of them is this turn's. */
  knownRuns: ReadonlySet<unknown>;
}

export type FoundBy = 'thread id' | 'request id' | 'nonce' | 'the only new run';

/** START_MESSAGE parsed once per template: a load run sends it thousands of times. */
const parsedTemplates = new Map<string, unknown>();

/** The start message of START_MESSAGE, with the prompt and the ids put in its string values. */
export function startMessage(text: string, ids: { threadId: string; requestId: string }, profile: ProtocolProfile = activeProtocol()): Record<string, unknown> {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replaceAll('{{text}}', text).replaceAll('{{thread_id}}', ids.threadId).replaceAll('{{request_id}}', ids.requestId);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    return value;
  };
  let template = parsedTemplates.get(profile.startMessage);
  if (template === undefined) parsedTemplates.set(profile.startMessage, (template = JSON.parse(profile.startMessage)));
  return fill(template) as Record<string, unknown>;
}

/** Sends the prompt in the target's start-message shape, with a thread id and a request id chosen for this turn. */
export function sendTurn(socket: RecordingSocket, prompt: NoncePrompt, userId: string, profile: ProtocolProfile = activeProtocol()): Turn {
  const ids = { threadId: randomUUID(), requestId: randomUUID() };
  const knownRuns = new Set(socket.frames.map(({ frame }) => frame.run_id));
  const sentAt = socket.send(startMessage(prompt.prompt, ids, profile));
  return {
    prompt,
    userId,
    threadId: profile.startMessage.includes('{{thread_id}}') ? ids.threadId : undefined,
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
      .map(({ frame }) => `${String(frame.code)}: ${String(frame.message)}`);
    if (refusals.length > 0) {
      throw new Error(
        `${(error as Error).message}; the service answered the start message with an error (${refusals[0]}): if it reads another start message, set START_MESSAGE to its shape`,
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
