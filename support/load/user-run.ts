import { fetchTicket, signIn, type Session } from '../client/session.ts';
import { answerAt } from '../golden-path/answer.ts';
import { arithmeticPrompt } from '../golden-path/nonce.ts';
import { awaitCompletion, awaitWelcome } from '../golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn } from '../golden-path/turn.ts';
import { GRACE_MS } from '../protocol/latency.ts';
import { checkOwnership, checkRun } from '../protocol/sequence.ts';
import type { Stage } from '../verdict/stages.ts';
import { RecordingSocket, type WsCredential } from '../ws/recording-socket.ts';
import type { ConcurrentRunsOptions, LoadProgress, LoadUser, UserOutcome } from './concurrent-runs.ts';
import type { Semaphore } from './semaphore.ts';

/** What the users of one load run share. */
export interface SharedByUsers {
  options: Pick<ConcurrentRunsOptions, 'baseUrl' | 'wsUrl' | 'transport' | 'login' | 'latency'>;
  logins: Semaphore;
  /** Counts one more user at `key` in the live progress. */
  count: (key: keyof LoadProgress) => void;
}

/**
 * One user of a load run, carried through its phases: each phase leaves what the next needs (the session,
 * the socket, the run's id), and the outcome records the user's figures and the first stage that failed.
 * A phase whose input an earlier phase did not get does nothing.
 */
export class UserRun {
  readonly outcome: UserOutcome;
  private session: Session | undefined;
  private socket: RecordingSocket | undefined;
  /** Known once the socket is welcomed: only then is a question asked on it and its frames judged. */
  private userId: string | undefined;
  /** The id of the user's run, once an event of it arrived. */
  runId: unknown;

  constructor(
    private readonly user: LoadUser,
    private readonly shared: SharedByUsers,
  ) {
    this.outcome = { email: user.email, leaks: [], verifiedEvents: 0 };
  }

  /** Logs in `startAfterMs` into the ramp, once a login may start; a synthetic user brings its session. */
  async logIn(startAfterMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, startAfterMs));
    if (this.user.session) {
      this.session = this.user.session;
      this.shared.count('loggedIn');
      return;
    }
    const release = await this.shared.logins.acquire();
    const started = performance.now();
    this.session = await signIn(this.shared.options.baseUrl, this.user, this.shared.options.login)
      .catch((error: Error) => this.fail('auth', error))
      .finally(release);
    if (!this.session) return;
    this.outcome.loginMs = performance.now() - started;
    this.shared.count('loggedIn');
  }

  /** Opens the user's socket and waits for its welcome. */
  async connect(): Promise<void> {
    if (!this.session) return;
    const started = performance.now();
    this.socket = await this.openSocket(this.session.accessToken).catch((error: Error) => this.fail('websocket', error));
    if (!this.socket) return;
    const welcomed = await awaitWelcome(this.socket, this.shared.options.latency.connectMs + GRACE_MS).catch((error: Error) => this.fail('websocket', error));
    if (!welcomed) return;
    this.outcome.connectMs = performance.now() - started;
    this.shared.count('connected');
    this.userId = this.session.userId;
  }

  /** Asks a question with its own nonce, and checks the run in full: sequence, fields, ownership, answer. */
  async askAndCheck(): Promise<void> {
    const { socket, userId } = this;
    if (!socket || !userId) return;
    const { latency } = this.shared.options;
    const golden = arithmeticPrompt();
    const turn = sendTurn(socket, golden, userId);
    const { sentAt } = turn;
    const found = await awaitOwnRun(socket, turn, latency.firstEventMs + GRACE_MS).catch((error: Error) => this.fail('agent-events', error));
    if (found === undefined) return;
    const { runId } = found;
    this.runId = runId;
    const completion = await awaitCompletion(socket, runId, latency.completionMs + GRACE_MS);
    const frames = socket.frames.filter(({ frame }) => frame.run_id === runId);
    this.outcome.firstEventMs = (frames[0]?.at ?? sentAt) - sentAt;
    this.outcome.completionMs = frames.find(({ frame }) => frame.type === 'agent_completed') ? frames.at(-1)!.at - sentAt : undefined;
    const violations = checkRun(socket.frames, { runId, userId, threadId: turn.threadId });
    const answer = completion && answerOrProblem(completion);
    if (violations.length > 0) this.fail('agent-events', new Error(violations.map((violation) => violation.message).join('; ')));
    else if (answer instanceof Error) this.fail('ai-response', answer);
    else if (!answer || !golden.answer.test(answer)) this.fail('ai-response', new Error(`the answer to "${golden.prompt}" was ${JSON.stringify(answer)}`));
    else this.outcome.verifiedEvents = frames.length;
    this.shared.count('runsDone');
  }

  /**
   * Closes the socket, then records as leaks its frames that name another user, and the runs of other
   * users (`everyRun`: the run ids of every user) that reached it.
   */
  closeAndFindLeaks(everyRun: ReadonlySet<unknown>): void {
    if (!this.socket) return;
    this.socket.close();
    if (!this.userId) return;
    this.outcome.leaks.push(...checkOwnership(this.socket.frames, this.userId).map((violation) => violation.message));
    const foreignRuns = new Set(
      this.socket.frames.map(({ frame }) => frame.run_id).filter((runId) => runId !== undefined && runId !== this.runId && everyRun.has(runId)),
    );
    this.outcome.leaks.push(...[...foreignRuns].map((runId) => `frames of another user's run ${String(runId)}`));
  }

  private async openSocket(accessToken: string): Promise<RecordingSocket> {
    const { baseUrl, wsUrl, transport } = this.shared.options;
    const credential: WsCredential = transport === 'ticket' ? { transport: 'ticket', ticket: await fetchTicket(baseUrl, accessToken) } : { transport, token: accessToken };
    return RecordingSocket.connect(wsUrl, credential);
  }

  /** Records the first stage that failed for the user (what fails after it follows from it). */
  private fail(stage: Stage, error: Error): undefined {
    if (!this.outcome.failure) {
      this.shared.count('failed');
      this.outcome.failure = { stage, message: error.message.split('\n')[0]! };
    }
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
