import WebSocket from 'ws';
import { answerPattern, arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { awaitCompletion, awaitWelcome, settleWindowMs } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn } from '../../support/golden-path/turn.ts';
import { activeProtocol } from '../../support/protocol/profile.ts';
import { checkRun } from '../../support/protocol/sequence.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';

const WAIT_MS = 10_000;

export interface ExchangeTarget {
  wsUrl: string;
  accessToken: string;
  userId: string;
}

/**
 * One golden-path exchange through the harness's client: connect, welcome, ask with a nonce, find the
 * run, wait for agent_completed and the settle window, check the whole run and the answer, close.
 */
export async function harnessExchange({ wsUrl, accessToken, userId }: ExchangeTarget): Promise<void> {
  const socket = RecordingSocket.connect(wsUrl, { transport: 'subprotocol', token: accessToken });
  try {
    await awaitWelcome(socket, WAIT_MS);
    const golden = arithmeticPrompt();
    const turn = sendTurn(socket, golden, userId);
    const { runId } = await awaitOwnRun(socket, turn, WAIT_MS);
    const completion = await awaitCompletion(socket, runId, WAIT_MS);
    const violations = checkRun(socket.frames, { runId, userId, threadId: turn.threadId });
    if (violations.length > 0) throw new Error(violations.map(({ message }) => message).join('; '));
    const answer = completion && answerAt(completion);
    if (!answer || !golden.answer.test(answer)) throw new Error(`wrong answer ${JSON.stringify(answer)}`);
  } finally {
    socket.close();
    await socket.closed;
  }
}

/**
 * The same exchange with nothing but `ws` and JSON.parse, and the least checking that still means the
 * same: the welcome first; the run's frames all this user's, agent_started first, agent_completed once
 * and last after the same settle window (settleWindowMs); the right answer.
 */
export function bareExchange({ wsUrl, accessToken, userId }: ExchangeTarget): Promise<void> {
  const welcomeTypes = activeProtocol().welcomeTypes;
  const { prompt, needle, expectedAnswer } = arithmeticPrompt();
  return new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(wsUrl, ['jwt-auth', `jwt-auth.${accessToken}`]);
    const run: Array<Record<string, unknown>> = [];
    const arrivals: number[] = [];
    let welcomed = false;
    let runId: unknown;
    let settle: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => finish(new Error('no complete run in time')), WAIT_MS);
    const finish = (error?: Error) => {
      clearTimeout(timeout);
      clearTimeout(settle);
      socket.once('close', () => (error ? reject(error) : resolve()));
      socket.close();
    };
    const judge = () => {
      const types = run.map((frame) => frame.type);
      const answer = run.at(-1)?.final_response;
      if (types[0] !== 'agent_started' || types.at(-1) !== 'agent_completed' || types.filter((type) => type === 'agent_completed').length !== 1) {
        return finish(new Error(`wrong sequence ${types.join(', ')}`));
      }
      if (run.some((frame) => frame.user_id !== userId)) return finish(new Error('a frame of another user'));
      if (typeof answer !== 'string' || !answerPattern(expectedAnswer).test(answer)) return finish(new Error(`wrong answer ${JSON.stringify(answer)}`));
      finish();
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!welcomed) {
        welcomed = true;
        if (!welcomeTypes.includes(String(frame.type))) return finish(new Error(`first frame ${String(frame.type)}`));
        socket.send(JSON.stringify({ type: 'user_message', text: prompt }));
        return;
      }
      if (runId === undefined && frame.run_id !== undefined && data.toString().includes(needle)) runId = frame.run_id;
      if (runId === undefined || frame.run_id !== runId) return;
      run.push(frame);
      arrivals.push(performance.now());
      clearTimeout(settle);
      if (run.some((each) => each.type === 'agent_completed')) settle = setTimeout(judge, settleWindowMs(arrivals));
    });
  });
}

/** Wall time and this process's CPU time of one exchange, in ms. */
export async function measureExchange(exchange: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await exchange();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}
