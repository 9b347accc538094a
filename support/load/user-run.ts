import { signIn, type Session } from '../client/session.ts';
import { credentialFor } from '../ws/credential.ts';
import { answerAt } from '../golden-path/answer.ts';
import { arithmeticPrompt } from '../golden-path/nonce.ts';
import { awaitCompletion, awaitWelcome } from '../golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn } from '../golden-path/turn.ts';
import { GRACE_MS } from '../protocol/latency.ts';
import { checkOwnership, checkRun } from '../protocol/sequence.ts';
import type { Stage } from '../verdict/stages.ts';
import { RecordingSocket } from '../ws/recording-socket.ts';
import type { LoadUser, TargetOptions, UserOutcome } from './types.ts';
import type { LoadRecord } from './load-record.ts';
import type { Semaphore } from './semaphore.ts';

/** How long a closing socket may take to finish its close handshake; the frames before it are checked too. */
const CLOSE_WAIT_MS = 5000;

/** What the users of one load run share. */
export interface SharedByUsers {
  options: TargetOptions;
  logins: Semaphore;
  record: LoadRecord;
}

export interface VisitPlan {
  turns: number;
  /** The pause between two turns. */
  thinkTimeMs: number;
  /** Called once the visit has taken its turns, or has failed before or during them. */
  onTurnsTaken?: () => void;
  /** The socket stays open until this resolves: a phase whose users must all be connected at once. */
  leave?: Promise<void>;
}

/**
 * One user of a load run. It logs in once (a synthetic user brings its session), then makes visits: each
 * opens a socket, takes its turns (a fresh nonce each, every run checked in full), and closes; every frame
 * the socket received is checked against the user, after each turn and once the socket has closed. Each
 * attempt, a turn or a step that failed before one, is added to the record with the first stage that
 * failed it.
 */
export class UserRun {
  private session: Session | undefined;
  /** Runs this user started, on any of its visits. */
  private readonly ownRuns = new Set<unknown>();

  constructor(
    private readonly user: LoadUser,
    private readonly shared: SharedByUsers,
  ) {}

  /** One visit; true when every turn of it was verified. */
  async visit(plan: VisitPlan): Promise<boolean> {
    const { record } = this.shared;
    record.arrived();
    try {
      let attempt = this.newAttempt();
      let socket: RecordingSocket | undefined;
      let session: Session | undefined;
      let verified = 0;
      let checkedFrames = 0;
      try {
        session = await this.ensureSession(attempt);
        socket = session && (await this.connect(session, attempt));
        if (!session || !socket) {
          record.add(attempt);
          return false;
        }
        for (let turn = 0; turn < plan.turns; turn++) {
          if (turn > 0) {
            await sleep(plan.thinkTimeMs);
            attempt = this.newAttempt();
          }
          const passed = await this.takeTurn(socket, session.userId, attempt);
          checkedFrames = this.findLeaks(socket, checkedFrames, session.userId, attempt);
          record.add(attempt);
          if (!passed) break;
          verified++;
        }
      } finally {
        plan.onTurnsTaken?.();
      }
      await plan.leave;
      await this.close(socket);
      this.findLeaks(socket, checkedFrames, session.userId, attempt);
      return verified === plan.turns;
    } finally {
      record.left();
    }
  }

  private newAttempt(): UserOutcome {
    return { email: this.user.email, leaks: [], verifiedEvents: 0 };
  }

  /** The user's session: logged in on its first visit (once a login may start), kept for the next ones. */
  private async ensureSession(attempt: UserOutcome): Promise<Session | undefined> {
    this.session ??= this.user.session;
    if (this.session) return this.session;
    const release = await this.shared.logins.acquire();
    const started = performance.now();
    this.session = await signIn(this.shared.options.baseUrl, this.user, this.shared.options.login)
      .catch((error: Error) => this.fail(attempt, 'auth', error))
      .finally(release);
    if (!this.session) return undefined;
    attempt.loginMs = performance.now() - started;
    this.shared.record.loggedIn(started);
    return this.session;
  }

  /** Opens the user's socket and waits for its welcome; a socket that is not welcomed is closed. */
  private async connect(session: Session, attempt: UserOutcome): Promise<RecordingSocket | undefined> {
    const started = performance.now();
    const socket = await this.openSocket(session.accessToken).catch((error: Error) => this.fail(attempt, 'websocket', error));
    if (!socket) return undefined;
    const welcomed = await awaitWelcome(socket, this.shared.options.latency.connectMs + GRACE_MS).catch((error: Error) =>
      this.fail(attempt, 'websocket', error),
    );
    if (!welcomed) {
      socket.close();
      return undefined;
    }
    attempt.connectMs = performance.now() - started;
    this.shared.record.connected(started);
    return socket;
  }

  /** Asks a question with its own nonce, and checks the run in full: sequence, fields, ownership, answer. */
  private async takeTurn(socket: RecordingSocket, userId: string, attempt: UserOutcome): Promise<boolean> {
    const { options, record } = this.shared;
    const started = performance.now();
    const golden = arithmeticPrompt();
    const turn = sendTurn(socket, golden, userId);
    const { sentAt } = turn;
    const found = await awaitOwnRun(socket, turn, options.latency.firstEventMs + GRACE_MS).catch((error: Error) => this.fail(attempt, 'agent-events', error));
    if (found === undefined) return false;
    const { runId } = found;
    this.ownRuns.add(runId);
    record.claimRun(runId, this.user.email);
    const completion = await awaitCompletion(socket, runId, options.latency.completionMs + GRACE_MS);
    record.ranTurn(started);
    const frames = socket.frames.filter(({ frame }) => frame.run_id === runId);
    attempt.firstEventMs = (frames[0]?.at ?? sentAt) - sentAt;
    attempt.completionMs = frames.find(({ frame }) => frame.type === 'agent_completed') ? frames.at(-1)!.at - sentAt : undefined;
    const violations = checkRun(socket.frames, { runId, userId, threadId: turn.threadId });
    const answer = completion && answerOrProblem(completion);
    if (violations.length > 0) this.fail(attempt, 'agent-events', new Error(violations.map((violation) => violation.message).join('; ')));
    else if (answer instanceof Error) this.fail(attempt, 'ai-response', answer);
    else if (!answer || !golden.answer.test(answer))
      this.fail(attempt, 'ai-response', new Error(`the answer to "${golden.prompt}" was ${JSON.stringify(answer)}`));
    else attempt.verifiedEvents = frames.length;
    return !attempt.failure;
  }

  /**
   * Checks the frames from `from` on against this user: one that names another user, or belongs to another
   * user's run, is a leak, added to `attempt`. A frame of a run nobody has claimed yet is judged at the end
   * of the load run. Returns how far the frames are checked.
   */
  private findLeaks(socket: RecordingSocket, from: number, userId: string, attempt: UserOutcome): number {
    const { record } = this.shared;
    const { frames } = socket;
    for (let index = from; index < frames.length; index++) {
      const entry = frames[index]!;
      const [foreignUser] = checkOwnership([entry], userId);
      const runId = entry.frame.run_id;
      if (foreignUser) record.leak(attempt, foreignUser.message);
      else if (runId !== undefined && runId !== null && !this.ownRuns.has(runId)) {
        const owner = record.ownerOf(runId);
        const frame = String(entry.frame.type);
        if (owner === undefined) record.unknownRun(attempt, runId, frame);
        else if (owner !== this.user.email) record.leak(attempt, `${frame} of ${owner}'s run ${String(runId)}`);
      }
    }
    return frames.length;
  }

  /** Closes the socket and waits for the close handshake, so that a frame sent just before it is checked too. */
  private async close(socket: RecordingSocket): Promise<void> {
    socket.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([socket.closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.shared.record.disconnected();
  }

  private async openSocket(accessToken: string): Promise<RecordingSocket> {
    const { baseUrl, wsUrl, transport, ticket } = this.shared.options;
    return RecordingSocket.connect(wsUrl, await credentialFor(baseUrl, transport, accessToken, ticket));
  }

  /** Records the first stage that failed the attempt (what fails after it follows from it). */
  private fail(attempt: UserOutcome, stage: Stage, error: Error): undefined {
    attempt.failure ??= { stage, message: error.message.split('\n')[0]! };
    return undefined;
  }
}

/** The run's answer, or why there is none to check (an object where ANSWER_PATH points). */
function answerOrProblem(completion: Record<string, unknown>): string | Error {
  try {
    return answerAt(completion);
  } catch (error) {
    return error as Error;
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
