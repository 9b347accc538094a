import { setTimeout as sleep } from 'node:timers/promises';
import { goldenPrompt, type NoncePrompt } from '../../support/golden-path/nonce.ts';
import { awaitWelcome } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn, type FoundBy, type Turn } from '../../support/golden-path/turn.ts';
import { CONTRACT_PROTOCOL, CONTRACT_START_MESSAGE, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { RecordingSocket, type RecordedFrame } from '../../support/ws/recording-socket.ts';
import type { Discovery } from './discovery.ts';
import type { DiscoverInputs } from './inputs.ts';
import type { DiscoveredLogin, DiscoveredSession } from './login.ts';
import { credentialFor, type DiscoveredSocket } from './socket.ts';

/** The start messages real chat services read, as START_MESSAGE templates, tried in this order. */
export const START_MESSAGE_SHAPES: ReadonlyArray<{ name: string; template: string }> = [
  { name: "the contract's flat user_message", template: CONTRACT_START_MESSAGE },
  {
    name: "the real web client's user_message with a payload",
    template: '{"type":"user_message","payload":{"text":"{{text}}","references":[],"thread_id":"{{thread_id}}"}}',
  },
  { name: 'start_agent with a user_request', template: '{"type":"start_agent","payload":{"user_request":"{{text}}","thread_id":"{{thread_id}}"}}' },
  { name: 'a nested LLM-style message', template: '{"message":{"role":"user","content":[{"type":"text","text":"{{text}}"}]},"thread_id":"{{thread_id}}"}' },
];

/** How long a start message may go unanswered before the next shape is tried: a run starts in well under this. */
const ATTEMPT_WAIT_MS = 6000;
/** Once the run's last frame carries the answer, this much quiet ends it; before that, the longer wait. */
const QUIET_AFTER_ANSWER_MS = 1000;
const QUIET_BEFORE_ANSWER_MS = 8000;
const RUN_LIMIT_MS = 30_000;
const WELCOME_WAIT_MS = 5000;

export interface RecordedRun {
  shape: string;
  /** The shapes tried before it, each with what the service did. */
  refusedShapes: string[];
  template: string;
  prompt: NoncePrompt;
  turn: Turn;
  runId: unknown;
  foundBy: FoundBy;
  /** Every frame of the socket from the moment the run's start message left. */
  frames: RecordedFrame[];
  welcomeFrame: RecordedFrame;
}

/**
 * Sends the golden prompt in each known start-message shape until a run starts, and records that run
 * to its end. A shape the service refuses (an error frame) or ignores is named with what it got.
 */
export async function discoverRun(
  inputs: DiscoverInputs,
  login: DiscoveredLogin,
  socketChoice: DiscoveredSocket,
  discovery: Discovery,
  onSocket: (socket: RecordingSocket) => void,
): Promise<RecordedRun | undefined> {
  const listening: ProtocolProfile = { ...CONTRACT_PROTOCOL, welcomeTypes: [socketChoice.welcome.type] };
  const open = async (session: DiscoveredSession) => {
    const socket = RecordingSocket.connect(socketChoice.url, await credentialFor(socketChoice.transport, inputs.baseUrl, session), { protocol: listening });
    onSocket(socket);
    await awaitWelcome(socket, WELCOME_WAIT_MS, listening);
    return socket;
  };
  const socket = await open(login.user);
  const bystander = login.secondUser ? await open(login.secondUser) : undefined;

  const attempts: string[] = [];
  for (const shape of START_MESSAGE_SHAPES) {
    const prompt = goldenPrompt(inputs.goldenPrompt);
    const turn = sendTurn(socket, prompt, login.user.userId, { ...listening, startMessage: shape.template });
    const started = await Promise.race([
      awaitOwnRun(socket, turn, ATTEMPT_WAIT_MS).then(
        (found) => found,
        (error: Error) => ({ missed: `no run started (${error.message.split(';')[0]})` }),
      ),
      refusalAfter(socket).then((refusal) => ({ missed: refusal })),
    ]);
    if ('missed' in started) {
      attempts.push(`${shape.name}: ${started.missed}`);
      continue;
    }
    await awaitRunEnd(socket, started.runId, prompt);
    const frames = socket.frames.filter(({ at }) => at >= turn.sentAt);
    const leakedToSecondUser = bystander?.frames.filter(({ frame }) => frame.run_id === started.runId).map(({ raw }) => raw) ?? [];
    discovery.record('run', {
      attempts,
      shape: shape.name,
      runId: started.runId,
      foundBy: started.foundBy,
      frames: frames.map(({ at, raw }) => ({ at, raw })),
    });
    if (leakedToSecondUser.length > 0) {
      discovery.find('isolation', `${leakedToSecondUser.length} frame(s) of ${login.user.email}'s run reached ${login.secondUser!.email}'s socket`);
    }
    return {
      shape: shape.name,
      refusedShapes: attempts,
      template: shape.template,
      prompt,
      turn,
      runId: started.runId,
      foundBy: started.foundBy,
      frames,
      welcomeFrame: socket.frames[0]!,
    };
  }
  discovery.observe('start message', 'not found', attempts.join('; '));
  discovery.find('agent-events', `no start message the harness knows started a run: ${attempts.join('; ')}`);
  return undefined;
}

/** An error frame bound to no run, arriving from now on: the service refused the start message's shape. */
async function refusalAfter(socket: RecordingSocket): Promise<string> {
  const before = new Set(socket.frames.map((recorded) => recorded.frame));
  const error = await socket
    .waitFor((frame) => !before.has(frame) && /error/i.test(String(frame.type)) && frame.run_id === undefined, 'an error frame', ATTEMPT_WAIT_MS)
    .catch(() => new Promise<never>(() => {}));
  const code = error.code ?? error.error_code ?? '';
  const message = String(error.message ?? error.error_message ?? '').slice(0, 160);
  return `refused (${String(error.type)} ${String(code)}: ${message})`;
}

/**
 * Waits for the run to end without knowing what its last event is called: once its last frame carries
 * the answer, a short quiet ends it; until then a long one (a model may think for seconds between frames).
 */
async function awaitRunEnd(socket: RecordingSocket, runId: unknown, prompt: NoncePrompt): Promise<void> {
  const startedAt = socket.elapsed();
  for (;;) {
    const ofRun = socket.frames.filter(({ frame }) => frame.run_id === runId);
    const last = ofRun.at(-1)!;
    const quietMs = prompt.answer.test(JSON.stringify(last.frame)) ? QUIET_AFTER_ANSWER_MS : QUIET_BEFORE_ANSWER_MS;
    const remaining = last.at + quietMs - socket.elapsed();
    if (remaining <= 0 || socket.elapsed() - startedAt > RUN_LIMIT_MS || socket.ending.closed) return;
    await sleep(Math.min(remaining, 100));
  }
}
