import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import type { ConversationStore } from '../db/conversations.ts';
import type { Faults } from '../faults.ts';
import type { Publish } from '../ws/fanout.ts';
import type { EncodeFrame } from '../ws/server-frames.ts';
import type { UserMessage } from '../ws/connection.ts';
import { runAgent, type AgentEvent } from './agent.ts';
import { RunAbortedError, withEventFaults } from './event-faults.ts';

/** RFC 6455: the server met a condition that prevented it from fulfilling the request. */
const CLOSE_INTERNAL_ERROR = 1011;

/**
 * One run: store the user's message, run the agent, store its answer, and only then announce
 * agent_completed, so whoever sees that event finds the answer in the database.
 */
export function createRunner(deps: {
  db: Database;
  conversations: ConversationStore;
  publish: Publish;
  encodeFrame: EncodeFrame;
  faults: Faults;
  log: Logger;
}) {
  const { db, conversations, publish, encodeFrame, faults, log } = deps;

  return async function executeRun({ connection, text, threadId: requestedThreadId }: UserMessage): Promise<void> {
    const userId = connection.userId;
    const runId = randomUUID();
    const threadId = requestedThreadId ?? randomUUID();
    const stamp = <Body extends { type: string }>(body: Body) => ({
      ...body,
      user_id: userId,
      thread_id: threadId,
      run_id: runId,
      timestamp: new Date().toISOString(),
    });
    const emit = withEventFaults(
      faults,
      (event: AgentEvent) => publish(userId, encodeFrame(stamp(event))),
      () => connection.socket.close(CLOSE_INTERNAL_ERROR, 'internal error'),
    );

    const started = performance.now();
    try {
      // accept_foreign_thread: without the object-level authorization check that real services forget.
      await conversations.ensureThread(threadId, userId, { anyOwner: faults.has('accept_foreign_thread') });
      await conversations.storeMessage({ threadId, userId, runId, role: 'user', content: text });
      const answer = await runAgent(text, { userId, db }, emit, { fallbackAnswer: faults.has('fallback_answer') });
      if (!faults.has('answer_not_persisted')) {
        await conversations.storeMessage({ threadId, userId, runId, role: 'assistant', content: answer });
      }
      await emit({ type: 'agent_completed', status: 'completed', final_response: answer });
      log.info({ run_id: runId, user_id: userId, duration_ms: Math.round(performance.now() - started) }, 'run completed');
    } catch (error) {
      if (error instanceof RunAbortedError) return log.warn({ run_id: runId }, error.message);
      const code = (error as { code?: unknown }).code;
      const frame = stamp({
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
