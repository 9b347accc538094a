import { randomInt, randomUUID } from 'node:crypto';
import { test, expect } from '../../fixtures/index.ts';
import { completeRun, openSocketAs } from '../../support/ws/chat-session.ts';

test.describe('agent runs', () => {
  test('a calculator run emits the contract events in order, with every field', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const socket = await openSocketAs(referenceService, user);
    const [a, b] = [randomInt(10_000, 99_999), randomInt(2, 99)];
    const frames = await completeRun(socket, `What is ${a} * ${b}?`);

    expect(frames.map((frame) => frame.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_thinking',
      'agent_completed',
    ]);
    const [started, , executing, completed, , done] = frames;
    const common = { user_id: user.id, thread_id: expect.stringMatching(/^[0-9a-f-]{36}$/), run_id: started!.run_id, timestamp: expect.any(String) };
    expect(started).toEqual({ type: 'agent_started', agent_name: 'reference-agent', task_description: `What is ${a} * ${b}?`, ...common });
    expect(executing).toEqual({
      type: 'tool_executing',
      tool_name: 'calculator',
      tool_args: { expression: `${a} * ${b}` },
      execution_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...common,
    });
    expect(completed).toEqual({
      type: 'tool_completed',
      tool_name: 'calculator',
      execution_id: executing!.execution_id,
      results: { value: String(a * b) },
      duration_ms: expect.any(Number),
      success: true,
      ...common,
    });
    expect(done).toEqual({ type: 'agent_completed', status: 'completed', final_response: `${a} * ${b} = ${a * b}`, ...common });
    const times = frames.map((frame) => Date.parse(String(frame.timestamp)));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    socket.close();
  });

  test("usage_report sums exactly this user's usage rows", async ({ referenceService, createUser, database }) => {
    const [user, other] = [await createUser(), await createUser()];
    const tokens = Array.from({ length: 5 }, () => randomInt(1, 100_000));
    for (const count of tokens) await database.query('INSERT INTO usage (user_id, tokens) VALUES ($1, $2)', [user.id, count]);
    await database.query('INSERT INTO usage (user_id, tokens) VALUES ($1, $2)', [other.id, 1_000_000]);

    const socket = await openSocketAs(referenceService, user);
    const frames = await completeRun(socket, 'What is my usage?');
    const total = tokens.reduce((sum, count) => sum + count, 0);
    expect(frames.find((frame) => frame.type === 'tool_completed')).toMatchObject({
      tool_name: 'usage_report',
      results: { total_tokens: total, records: 5 },
      success: true,
    });
    expect(frames.at(-1)!.final_response).toBe(`Your total usage is ${total} tokens across 5 records.`);
    socket.close();
  });

  test('a prompt no tool fits is answered without tool events', async ({ referenceService, createUser }) => {
    const socket = await openSocketAs(referenceService, await createUser());
    const frames = await completeRun(socket, 'Hello there');
    expect(frames.map((frame) => frame.type)).toEqual(['agent_started', 'agent_thinking', 'agent_completed']);
    expect(frames.at(-1)!.final_response).toMatch(/arithmetic/);
    socket.close();
  });

  test('the prompt and the answer are stored with the run id before agent_completed is sent', async ({ referenceService, createUser, database }) => {
    const user = await createUser();
    const socket = await openSocketAs(referenceService, user);
    const frames = await completeRun(socket, 'What is 48213 * 7?');
    const runId = frames[0]!.run_id;
    const { rows } = await database.query('SELECT thread_id, user_id, role, content FROM messages WHERE run_id = $1 ORDER BY id', [runId]);
    expect(rows).toEqual([
      { thread_id: frames[0]!.thread_id, user_id: user.id, role: 'user', content: 'What is 48213 * 7?' },
      { thread_id: frames[0]!.thread_id, user_id: user.id, role: 'assistant', content: '48213 * 7 = 337491' },
    ]);
    socket.close();
  });

  test('a thread continues when its id is sent again, and is refused to another user', async ({ referenceService, createUser }) => {
    const [owner, intruder] = [await createUser(), await createUser()];
    const socket = await openSocketAs(referenceService, owner);
    const threadId = randomUUID();
    const first = await completeRun(socket, 'What is 1 + 2?', threadId);
    const second = await completeRun(socket, 'What is 3 + 4?', threadId);
    expect([first[0]!.thread_id, second[0]!.thread_id]).toEqual([threadId, threadId]);

    const intruderSocket = await openSocketAs(referenceService, intruder);
    intruderSocket.send({ type: 'user_message', text: 'What is 5 + 6?', thread_id: threadId });
    const error = await intruderSocket.waitForType('error');
    expect(error).toMatchObject({ code: 'thread_not_found', user_id: intruder.id, thread_id: threadId, run_id: expect.any(String) });
    expect(intruderSocket.types()).not.toContain('agent_started');
    socket.close();
    intruderSocket.close();
  });
});

test.describe('fan-out', () => {
  test("a user's sockets on two instances both see a run, and another user's socket sees none", async ({ referenceService, launchService, createUser }) => {
    const second = await launchService({ jwtSecret: referenceService.jwtSecret });
    const [user, other] = [await createUser(), await createUser()];
    const onFirst = await openSocketAs(referenceService, user);
    const onSecond = await openSocketAs(second, user);
    const otherOnSecond = await openSocketAs(second, other);

    const frames = await completeRun(onSecond, 'What is 12 * 12?');
    const runId = frames[0]!.run_id;
    await onFirst.waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, 'the run on the other instance');
    expect(onFirst.framesOfRun(runId)).toEqual(frames);

    // A probe run of the other user, sent after, proves its socket was live and ordered behind the first run.
    await completeRun(otherOnSecond, 'What is 2 + 2?');
    expect(otherOnSecond.framesOfRun(runId)).toEqual([]);
    expect(otherOnSecond.frames.every(({ frame }) => frame.user_id === other.id)).toBe(true);
    for (const socket of [onFirst, onSecond, otherOnSecond]) socket.close();
  });
});
