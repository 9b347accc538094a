import type { HarnessSettings, LoginSettings } from '../config/settings.ts';
import { answerPattern, arithmeticPrompt } from '../golden-path/nonce.ts';
import { awaitCompletion, awaitRunMentioning, awaitWelcome } from '../golden-path/run-observer.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import { checkOwnership, checkRun } from '../protocol/sequence.ts';
import { fetchTicket, signIn, type Session } from '../client/session.ts';
import { earliestStage, type Stage } from '../verdict/stages.ts';
import { RecordingSocket, type WsAuthTransport, type WsCredential } from '../ws/recording-socket.ts';

export interface ConcurrentRunsOptions {
  baseUrl: string;
  wsUrl: string;
  transport: WsAuthTransport;
  login: Pick<LoginSettings, 'strategy' | 'bypass'>;
  users: readonly LoadUser[];
  latency: LatencyThresholds;
  /** Users start their login and socket spread evenly over this long. */
  rampMs: number;
  /**
   * At most this many logins in flight (unlimited when unset): logins then go at the pace the target
   * can hash passwords, however busy the machine, where a ramp has to guess that pace.
   */
  loginsInFlight?: number;
  /** Called whenever a count changes, for live progress. */
  onProgress?: (progress: Readonly<LoadProgress>) => void;
}

/** What every load run takes from its target and the suite's settings. */
export function targetOptions(
  target: { baseUrl: string; wsUrl: string },
  settings: Pick<HarnessSettings, 'wsAuth' | 'login' | 'latency'>,
): Pick<ConcurrentRunsOptions, 'baseUrl' | 'wsUrl' | 'transport' | 'login' | 'latency'> {
  return { baseUrl: target.baseUrl, wsUrl: target.wsUrl, transport: settings.wsAuth, login: settings.login, latency: settings.latency };
}

/** An account to log in with, or a synthetic user whose token was minted for it (no login then). */
export interface LoadUser {
  email: string;
  password?: string;
  session?: Session;
}

export interface LoadProgress {
  loggedIn: number;
  connected: number;
  runsDone: number;
  failed: number;
}

/** What happened to one user: the first stage that failed for it, or its run's figures. */
export interface UserOutcome {
  email: string;
  failure?: { stage: Stage; message: string };
  /** Frames of other users' runs, or naming another user, that reached this user's socket. */
  leaks: string[];
  /** Frames of its own run, counted once the run was checked complete, correct and answered. */
  verifiedEvents: number;
  loginMs?: number;
  connectMs?: number;
  firstEventMs?: number;
  completionMs?: number;
}

export interface ConcurrentRunsResult {
  outcomes: UserOutcome[];
  /** From the first login to the last, over the ramp. */
  loginPhaseMs: number;
  /** From opening the first socket (all open at once) to the last welcome. */
  connectPhaseMs: number;
  /** From the first prompt to the last run's end. */
  runPhaseMs: number;
}

const GRACE_MS = 5000;

/**
 * Many users at once, each through the golden path over the API: log in, open a socket, and, once every
 * socket is open, ask a question with its own nonce; then every run is checked in full (sequence,
 * fields, ownership, answer) and every frame on every socket is checked against its owner, so a
 * cross-user leak shows as the frame that leaked.
 */
export async function runConcurrently(options: ConcurrentRunsOptions): Promise<ConcurrentRunsResult> {
  const { users, latency } = options;
  const step = users.length > 1 ? options.rampMs / (users.length - 1) : 0;
  const progress: LoadProgress = { loggedIn: 0, connected: 0, runsDone: 0, failed: 0 };
  const count = (key: keyof LoadProgress) => {
    progress[key]++;
    options.onProgress?.(progress);
  };
  const fail = (outcome: UserOutcome, stage: Stage, error: Error): undefined => {
    if (!outcome.failure) count('failed');
    return recordFailure(outcome, stage, error);
  };

  // Logins arrive over the ramp: a password check is deliberately slow (scrypt), so a login storm
  // measures the hash, not the service. Sockets then open all at once, and runs start all at once.
  const loginSlots = slots(options.loginsInFlight ?? Infinity);
  const loginsStarted = performance.now();
  const sessions = await Promise.all(
    users.map(async (user, index) => {
      const outcome: UserOutcome = { email: user.email, leaks: [], verifiedEvents: 0 };
      await new Promise((resolve) => setTimeout(resolve, index * step));
      if (user.session) {
        count('loggedIn');
        return { outcome, session: user.session };
      }
      const release = await loginSlots.acquire();
      const loginStarted = performance.now();
      const session = await signIn(options.baseUrl, user, options.login)
        .catch((error: Error) => fail(outcome, 'auth', error))
        .finally(release);
      if (!session) return { outcome };
      outcome.loginMs = performance.now() - loginStarted;
      count('loggedIn');
      return { outcome, session };
    }),
  );
  const loginPhaseMs = performance.now() - loginsStarted;

  const socketsStarted = performance.now();
  const connected = await Promise.all(
    sessions.map(async ({ outcome, session }) => {
      if (!session) return { outcome };
      const connectStarted = performance.now();
      const socket = await openSocket(options, session.accessToken).catch((error: Error) => fail(outcome, 'websocket', error));
      if (!socket) return { outcome };
      const welcomed = await awaitWelcome(socket, latency.connectMs + GRACE_MS).catch((error: Error) => fail(outcome, 'websocket', error));
      if (!welcomed) return { outcome, socket };
      outcome.connectMs = performance.now() - connectStarted;
      count('connected');
      return { outcome, socket, userId: session.userId };
    }),
  );
  const connectPhaseMs = performance.now() - socketsStarted;

  const runsStarted = performance.now();
  const runIds = await Promise.all(
    connected.map(async ({ outcome, socket, userId }) => {
      if (!socket || !userId) return undefined;
      const { prompt, needle, expectedAnswer } = arithmeticPrompt();
      const sentAt = socket.send({ type: 'user_message', text: prompt });
      const runId = await awaitRunMentioning(socket, needle, latency.firstEventMs + GRACE_MS).catch((error: Error) => fail(outcome, 'agent-events', error));
      if (runId === undefined) return undefined;
      const answer = await awaitCompletion(socket, runId, latency.completionMs + GRACE_MS);
      const frames = socket.frames.filter(({ frame }) => frame.run_id === runId);
      outcome.firstEventMs = (frames[0]?.at ?? sentAt) - sentAt;
      outcome.completionMs = frames.find(({ frame }) => frame.type === 'agent_completed') ? frames.at(-1)!.at - sentAt : undefined;
      const violations = checkRun(socket.frames, { runId, userId });
      if (violations.length > 0) fail(outcome, 'agent-events', new Error(violations.map((violation) => violation.message).join('; ')));
      else if (!answer || !answerPattern(expectedAnswer).test(answer)) fail(outcome, 'ai-response', new Error(`the answer to "${prompt}" was ${JSON.stringify(answer)}`));
      else outcome.verifiedEvents = frames.length;
      count('runsDone');
      return runId;
    }),
  );
  const runPhaseMs = performance.now() - runsStarted;

  const everyRun = new Set(runIds.filter((runId) => runId !== undefined));
  for (const [index, { outcome, socket, userId }] of connected.entries()) {
    if (!socket) continue;
    socket.close();
    if (!userId) continue;
    outcome.leaks.push(...checkOwnership(socket.frames, userId).map((violation) => violation.message));
    const own = runIds[index];
    const foreignRuns = new Set(socket.frames.map(({ frame }) => frame.run_id).filter((runId) => runId !== undefined && runId !== own && everyRun.has(runId)));
    outcome.leaks.push(...[...foreignRuns].map((runId) => `frames of another user's run ${String(runId)}`));
  }
  return { outcomes: connected.map(({ outcome }) => outcome), loginPhaseMs, connectPhaseMs, runPhaseMs };
}

async function openSocket(options: ConcurrentRunsOptions, accessToken: string): Promise<RecordingSocket> {
  const credential: WsCredential =
    options.transport === 'ticket' ? { transport: 'ticket', ticket: await fetchTicket(options.baseUrl, accessToken) } : { transport: options.transport, token: accessToken };
  return RecordingSocket.connect(options.wsUrl, credential);
}

/** A counting semaphore: `acquire` resolves with the function that gives the slot back. */
function slots(count: number): { acquire(): Promise<() => void> } {
  let free = count;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire: () =>
      new Promise((resolve) => {
        if (free > 0) {
          free--;
          resolve(release);
        } else waiting.push(() => resolve(release));
      }),
  };
}

function recordFailure(outcome: UserOutcome, stage: Stage, error: Error): undefined {
  outcome.failure ??= { stage, message: error.message.split('\n')[0]! };
  return undefined;
}

/**
 * How many frames leaked to another user's socket, and a message for the failure: the count and the first
 * ten. A fan-out bug leaks tens of thousands of frames, and all of them would bury the finding.
 */
export function leakReport(outcomes: readonly UserOutcome[]): { count: number; message: string } {
  const leaks = outcomes.flatMap(({ email, leaks }) => leaks.map((leak) => `${email}: ${leak}`));
  return { count: leaks.length, message: `${leaks.length} frames reached another user's socket; the first ${Math.min(leaks.length, 10)}:\n${leaks.slice(0, 10).join('\n')}` };
}

/** The earliest stage any user failed at, in the verdict's order. */
export function earliestFailure(outcomes: readonly UserOutcome[]): { stage: Stage; message: string; users: number } | undefined {
  const failed = outcomes.filter((outcome) => outcome.failure);
  const stage = earliestStage(failed.map((outcome) => outcome.failure!.stage));
  if (!stage) return undefined;
  const first = failed.find((outcome) => outcome.failure!.stage === stage)!;
  return { stage, message: `${first.email}: ${first.failure!.message}`, users: failed.length };
}
