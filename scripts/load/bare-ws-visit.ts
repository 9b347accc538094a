import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { settleWindowMs } from '../../support/golden-path/run-observer.ts';
import { activeProtocol } from '../../support/protocol/profile.ts';

export interface BareVisitTarget {
  wsUrl: string;
  accessToken: string;
  userId: string;
}

/**
 * A load run's visit with nothing but `ws`, the baseline the harness's own client is measured against
 * (npm run bench, load-levels): connect, welcome, then per turn a prompt with a fresh nonce and a thread
 * id, the run found by that thread, every frame checked to be this user's, agent_started first and
 * agent_completed once and last after the same settle window, the right answer; then, like a user of a
 * load phase, hold the socket open until `leave` resolves, and close. Resolves with the verified events,
 * rejects at the first thing wrong; `onTurnsTaken` is called either way.
 */
export function bareVisit(
  { wsUrl, accessToken, userId }: BareVisitTarget,
  turns: number,
  hold: { leave: Promise<void>; onTurnsTaken: () => void },
  timeoutMs = 15_000,
): Promise<number> {
  const welcomeTypes = activeProtocol().welcomeTypes;
  return new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(wsUrl, ['jwt-auth', `jwt-auth.${accessToken}`]);
    let welcomed = false;
    let turn = 0;
    let verified = 0;
    let prompt = arithmeticPrompt();
    let threadId = '';
    let runId: unknown;
    let run: Array<Record<string, unknown>> = [];
    let arrivals: number[] = [];
    let settle: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => finish(new Error(`turn ${turn + 1} of ${turns} not verified in ${timeoutMs} ms`)), timeoutMs);
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      clearTimeout(settle);
      socket.removeAllListeners('message');
      socket.once('close', () => (error ? reject(error) : resolve(verified)));
      hold.onTurnsTaken();
      void hold.leave.then(() => socket.close());
    };
    const ask = () => {
      prompt = arithmeticPrompt();
      threadId = randomUUID();
      runId = undefined;
      run = [];
      arrivals = [];
      socket.send(JSON.stringify({ type: 'user_message', text: prompt.prompt, thread_id: threadId }));
    };
    const judge = () => {
      const types = run.map((frame) => frame.type);
      const answer = run.at(-1)?.final_response;
      if (types[0] !== 'agent_started' || types.at(-1) !== 'agent_completed' || types.filter((type) => type === 'agent_completed').length !== 1)
        return finish(new Error(`wrong sequence ${types.join(', ')}`));
      if (typeof answer !== 'string' || !prompt.answer.test(answer)) return finish(new Error(`wrong answer ${JSON.stringify(answer)}`));
      verified += run.length;
      if (++turn === turns) return finish();
      ask();
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame.user_id !== undefined && frame.user_id !== null && frame.user_id !== userId)
        return finish(new Error(`a frame of user ${String(frame.user_id)}`));
      if (!welcomed) {
        welcomed = true;
        if (!welcomeTypes.includes(String(frame.type))) return finish(new Error(`first frame ${String(frame.type)}`));
        return ask();
      }
      if (runId === undefined && frame.run_id !== undefined && frame.thread_id === threadId) runId = frame.run_id;
      if (runId === undefined || frame.run_id !== runId) return;
      run.push(frame);
      arrivals.push(performance.now());
      clearTimeout(settle);
      if (run.some((each) => each.type === 'agent_completed')) settle = setTimeout(judge, settleWindowMs(arrivals));
    });
  });
}
