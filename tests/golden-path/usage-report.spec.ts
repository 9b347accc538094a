import { randomInt } from 'node:crypto';
import { test, expect } from '../../fixtures/index.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { usagePrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn } from '../../support/golden-path/turn.ts';
import { GRACE_MS } from '../../support/protocol/latency.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

test.skip(({ settings }) => settings.target !== 'local', 'seeds usage rows and reads the database: local targets only');

test(
  "the agent sums this user's seeded usage rows exactly, and the answer is stored",
  { tag: ['@golden-path'] },
  async ({ chatService, testUser, chatSocket, database, settings }) => {
    const rows = Array.from({ length: randomInt(3, 7) }, () => randomInt(1, 50_000));
    const total = rows.reduce((sum, tokens) => sum + tokens, 0);
    const usage = usagePrompt(total);
    const { prompt, expectedAnswer } = usage;
    const { latency } = settings;

    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    await inStage('infrastructure', `${rows.length} usage rows are seeded for this user`, async () => {
      for (const tokens of rows) await database.query('INSERT INTO usage (user_id, tokens) VALUES ($1, $2)', [session.userId, tokens]);
    });
    const socket = await inStage('websocket', 'a socket opens and is welcomed', () => openWelcomed(chatSocket, session, latency.connectMs + GRACE_MS));

    const turn = sendTurn(socket, usage, session.userId);
    const { runId } = await inStage('agent-events', 'the run starts', () => awaitOwnRun(socket, turn, latency.firstEventMs + GRACE_MS));
    const completion = await inStage('agent-events', 'all five events arrive, in order, for this user and run', async () => {
      const completed = await awaitCompletion(socket, runId, latency.completionMs + GRACE_MS);
      expect(socket).toHaveCompleteRun({ runId, userId: session.userId, threadId: turn.threadId });
      return completed!;
    });
    const answer = await inStage('ai-response', `the answer carries the exact total ${expectedAnswer}`, async () => {
      const text = answerAt(completion);
      expect(text).toMatch(usage.answer);
      return text;
    });
    await inStage('persistence', 'the prompt and the answer are stored under the run id', async () => {
      const stored = await database.query('SELECT role, content FROM messages WHERE run_id = $1 ORDER BY id', [runId]);
      expect(stored.rows).toEqual([
        { role: 'user', content: prompt },
        { role: 'assistant', content: answer },
      ]);
    });
  },
);
