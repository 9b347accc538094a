import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import type { ConversationStore } from '../db/conversations.ts';
import type { Faults } from '../faults.ts';
import type { Publish } from '../ws/fanout.ts';
import type { EncodeFrame } from '../ws/server-frames.ts';
import type { UserMessage } from '../ws/connection.ts';
import { sessionRunId } from '../ws/handshake.ts';
import { runAgent, type AgentEvent, type AgentOptions } from './agent.ts';
import { answerUnder, type AnswerField } from './answer-field.ts';
import { finalResponse, type AnswerShape } from './answer-shape.ts';
import { CLEANUP_EVENT_TYPES } from './cleanup-events.ts';
import { RunAbortedError, withEventFaults } from './event-faults.ts';
import { runBinding, type EventUserId } from './run-binding.ts';

/** RFC 6455: the server met a condition that prevented it from fulfilling the request. */
const CLOSE_INTERNAL_ERROR = 1011;

/** How this deployment phrases a run's events (README, "Protocol variants"). */
export interface RunProtocol extends Omit<AgentOptions, 'fallbackAnswer' | 'wrongAnswer'> {
  answerShape: AnswerShape;
  answerField: AnswerField;
  eventUserId: EventUserId;
  /** CLEANUP_EVENTS: cleanup_started and cleanup_complete follow agent_completed. */
  cleanupEvents: boolean;
  /** Under WS_HANDSHAKE a run's id is the server's session run id (`run_sess_<hex>`). */
  sessionRunIds: boolean;
}

/**
 * One run: store the user's message, run the agent, store its answer, and only then announce
 * agent_completed, so whoever sees that event finds the answer in the database.
 */
export function createRunner(deps: {
  db: Database;
  conversations: ConversationStore;
  publish: Publish;
  encodeFrame: EncodeFrame;
  protocol: RunProtocol;
  faults: Faults;
  log: Logger;
}) {
  const { db, conversations, publish, encodeFrame, faults, log } = deps;
  const { answerShape, answerField, eventUserId, cleanupEvents, sessionRunIds, ...agentProtocol } = deps.protocol;
  const agentOptions: AgentOptions = { ...agentProtocol, fallbackAnswer: faults.has('fallback_answer'), wrongAnswer: faults.has('wrong_answer') };

  return async function executeRun({ connection, text, threadId: requestedThreadId }: UserMessage): Promise<void> {
    const userId = connection.userId;
    const runId = randomUUID();
    const threadId = requestedThreadId ?? randomUUID();
    // The messages table keys runs by UUID; a session run id is that UUID's hex behind `run_sess_`.
    const binding = runBinding({ userId, threadId, runId: sessionRunIds ? sessionRunId(runId) : runId }, eventUserId);
    const bind = <Body extends { type: string }>(body: Body) => ({ ...body, ...binding });
    // Fan-out goes to the run's user, whatever the frames say about who that is.
    const emit = withEventFaults(
      faults,
      (event: AgentEvent) => publish(userId, encodeFrame(bind(event))),
      () => connection.socket.close(CLOSE_INTERNAL_ERROR, 'internal error'),
    );

    const started = performance.now();
    try {
      // accept_foreign_thread: without the object-level authorization check that real services forget.
      await conversations.ensureThread(threadId, userId, { anyOwner: faults.has('accept_foreign_thread') });
      await conversations.storeMessage({ threadId, userId, runId, role: 'user', content: text });
      const answer = await runAgent(text, { userId, db }, emit, agentOptions);
      if (!faults.has('answer_not_persisted')) {
        await conversations.storeMessage({ threadId, userId, runId, role: 'assistant', content: answer.text });
      }
      await emit({ type: 'agent_completed', status: 'completed', ...answerUnder(answerField, finalResponse(answer, answerShape)) });
      if (cleanupEvents) for (const type of CLEANUP_EVENT_TYPES) await emit({ type });
      log.info({ run_id: runId, user_id: userId, duration_ms: Math.round(performance.now() - started) }, 'run completed');
    } catch (error) {
      if (error instanceof RunAbortedError) return log.warn({ run_id: runId }, error.message);
      const code = (error as { code?: unknown }).code;
      const frame = bind({
        type: 'error',
        code: typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : 'run_failed',
        message: (error as Error).message,
      });
      log.error({ err: error, run_id: runId }, 'run failed');
      // Fan-out may be what failed; the socket that asked hears of it either way.
      const encoded = encodeFrame(frame);
      await publish(userId, encoded).catch(() => connection.socket.send(encoded));
    }
  };
}
