import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, type SeededUser } from '../../fixtures/index.ts';
import { TokenMinter } from '../../support/client/tokens.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';
import type { RunningReferenceService } from '../../support/stack/reference-service-process.ts';
import { FrameSocket, type SentFrame } from './frame-socket.ts';
import { GATEWAY_SHAPE, LATER_PRODUCT_BYPASS_KEY, LATER_PRODUCT_SHAPE, LLM_PRODUCT_SHAPE } from '../../support/self-test/reference-shapes.ts';

const POLICY_VIOLATION = 1008;
const PROMPT = 'What is 48213 * 7?';
/** The answer in prose: every shape here but the gateway keeps the prompt out of its events (ECHO_PROMPT=false). */
const PROSE_ANSWER = 'The result is 337,491.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SESSION_RUN_ID = /^run_sess_[0-9a-f]{32}$/;
const FALLBACK_ANSWER = "I'm having trouble reaching my tools right now, but the answer is most likely 42.";

registerSecret(LATER_PRODUCT_BYPASS_KEY);

/** The later product's test login: on the auth host, with the e2e body that poses as OAuth. */
async function e2eLogin(service: RunningReferenceService, user: SeededUser): Promise<string> {
  const response = await fetch(`${service.authUrl}/auth/e2e/test-auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-E2E-Bypass-Key': LATER_PRODUCT_BYPASS_KEY },
    body: JSON.stringify({ email: user.email, name: user.email, permissions: ['read', 'write'], simulate_oauth: true }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A later-product socket through its handshake, ready for messages in the handshake's thread. */
async function laterProductSession(service: RunningReferenceService, token: string) {
  const socket = new FrameSocket(service.wsUrl, { protocols: [`jwt.staging.${token}`] });
  const handshake = await socket.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
  await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');
  socket.send({ type: 'handshake_acknowledged', thread_id: handshake.thread_id });
  await socket.waitFor((frame) => frame.type === 'handshake_complete', 'handshake_complete');
  return { socket, threadId: handshake.thread_id as string };
}

function laterProductMessage(threadId: string, content = PROMPT) {
  return { type: 'user_message', payload: { content, thread_id: threadId, run_id: `client-${randomUUID()}`, timestamp: Date.now() / 1000 } };
}

const isCleanupComplete = (frame: SentFrame) => frame.type === 'cleanup_complete';

/** The later product's run, frame types as a client reads them: a wrapped frame by the event it carries. */
const laterTypes = (frames: SentFrame[]) => frames.map((frame) => (frame.type === 'system_message' ? frame.event : frame.type));

async function signInThroughUi(page: Page, service: RunningReferenceService, user: SeededUser) {
  await page.goto(service.baseUrl);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
}

async function askThroughUi(page: Page, expectedAnswer: string) {
  await page.getByTestId('chat-input').fill(PROMPT);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('assistant-message')).toHaveText(expectedAnswer);
  return page.getByTestId('event-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
}

test.describe('the later product shape', () => {
  test('a test login on the auth host, an env-bound subprotocol, the handshake, then a supervised run, frame by frame', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: LATER_PRODUCT_SHAPE });
    const user = await createUser();
    expect(service.authUrl).not.toBe(service.baseUrl);
    const token = await e2eLogin(service, user);

    const socket = new FrameSocket(service.wsUrl, { protocols: [`jwt.staging.${token}`] });
    const handshake = await socket.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
    const welcome = await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');
    expect(socket.protocol).toBe(`jwt.staging.${token}`);
    expect(socket.frames).toEqual([
      {
        type: 'handshake_response',
        thread_id: expect.stringMatching(UUID),
        run_id: expect.stringMatching(SESSION_RUN_ID),
        request_id: expect.stringMatching(UUID),
        session_token: expect.any(String),
        timestamp: expect.any(String),
      },
      { type: 'connection_established', payload: { connection_id: expect.stringMatching(UUID), user_id: user.id, timestamp: expect.any(String) } },
    ]);
    void welcome;
    const [early] = await socket.exchange(laterProductMessage(handshake.thread_id), (frame) => frame.type === 'error', 'an error');
    expect(early).toEqual({ type: 'error', payload: { error: expect.stringMatching(/^handshake_required: /), timestamp: expect.any(String) } });
    expect(
      await socket.exchange(
        { type: 'handshake_acknowledged', thread_id: handshake.thread_id },
        (frame) => frame.type === 'handshake_complete',
        'handshake_complete',
      ),
    ).toEqual([{ type: 'handshake_complete', thread_id: handshake.thread_id, timestamp: expect.any(String) }]);

    const run = await socket.exchange(laterProductMessage(handshake.thread_id), isCleanupComplete, 'cleanup_complete');
    const runId = run[0]!.payload.run_id;
    expect(runId).toMatch(SESSION_RUN_ID);
    const binding = { run_id: runId, thread_id: handshake.thread_id, user_id: user.id, timestamp: expect.any(String) };
    const executionId = run[4]!.payload.execution_id;
    expect(run).toEqual([
      { type: 'agent_started', payload: { agent_name: 'supervisor', task_description: "Answering the user's request", ...binding } },
      { type: 'system_message', event: 'agent_thinking', payload: { reasoning: 'Planning: calling calculator.', ...binding } },
      {
        type: 'system_message',
        event: 'agent_started',
        payload: { agent_name: 'calculator_agent', task_description: 'Running calculator for the supervisor', ...binding },
      },
      { type: 'system_message', event: 'agent_thinking', payload: { reasoning: 'Calling calculator.', ...binding } },
      {
        type: 'system_message',
        event: 'tool_executing',
        payload: { tool_name: 'calculator', tool_args: { operands: [48213, 7], operator: '*' }, execution_id: expect.stringMatching(UUID), ...binding },
      },
      {
        type: 'system_message',
        event: 'tool_completed',
        payload: {
          tool_name: 'calculator',
          execution_id: executionId,
          results: { value: '337491' },
          duration_ms: expect.any(Number),
          success: true,
          ...binding,
        },
      },
      {
        type: 'agent_completed',
        payload: { status: 'completed', result: { response: PROSE_ANSWER, status: 'success', metadata: { tools: ['calculator'] } }, ...binding },
      },
      { type: 'cleanup_started', payload: binding },
      { type: 'cleanup_complete', payload: binding },
    ]);
    socket.close();
  });

  test('a message before the handshake or naming another thread gets an error frame and starts no run', async ({ launchService, createUser, database }) => {
    const service = await launchService({ env: LATER_PRODUCT_SHAPE });
    const user = await createUser();
    const token = await e2eLogin(service, user);
    const socket = new FrameSocket(service.wsUrl, { protocols: [`jwt.staging.${token}`] });
    const handshake = await socket.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
    await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');

    const [early] = await socket.exchange(laterProductMessage(handshake.thread_id), (frame) => frame.type === 'error', 'an error');
    expect(early!.payload.error).toMatch(/^handshake_required: /);
    await socket.exchange(
      { type: 'handshake_acknowledged', thread_id: handshake.thread_id },
      (frame) => frame.type === 'handshake_complete',
      'handshake_complete',
    );
    const [mismatch] = await socket.exchange(laterProductMessage(randomUUID()), (frame) => frame.type === 'error', 'an error');
    expect(mismatch!.payload.error).toMatch(/^thread_mismatch: /);
    // A ping's pong comes after anything the refused messages could have started.
    await socket.exchange({ type: 'ping' }, (frame) => frame.type === 'pong', 'the pong');
    expect(socket.frames.filter((frame) => frame.type === 'agent_started' || frame.type === 'system_message')).toEqual([]);
    expect((await database.query('SELECT count(*)::int AS n FROM messages WHERE user_id = $1', [user.id])).rows).toEqual([{ n: 0 }]);
    socket.close();
  });

  test('a token without the env is refused: one error frame, then 1008 environment_mismatch', async ({ launchService, createUser }) => {
    const service = await launchService({ env: LATER_PRODUCT_SHAPE });
    const token = await e2eLogin(service, await createUser());
    for (const socket of [
      new FrameSocket(service.wsUrl, { protocols: [`jwt-auth.${token}`] }),
      new FrameSocket(`${service.wsUrl}?token=${token}`),
      new FrameSocket(service.wsUrl, { headers: { Authorization: `Bearer ${token}` } }),
    ]) {
      expect(await socket.closed).toEqual({ code: POLICY_VIOLATION, reason: 'environment_mismatch: expected env staging' });
      expect(socket.frames).toEqual([
        { type: 'error', payload: { error: 'AUTH_FAILED: environment_mismatch: expected env staging', timestamp: expect.any(String) } },
      ]);
    }
    const byQuery = new FrameSocket(`${service.wsUrl}?token=${token}&env=staging`);
    await byQuery.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
    byQuery.close();
  });

  test('the UI signs in on the auth host, does the handshake and renders the answer under result', async ({ page, launchService, createUser }) => {
    const service = await launchService({ env: LATER_PRODUCT_SHAPE });
    const user = await createUser();
    const authRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(service.authUrl)) authRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await signInThroughUi(page, service, user);
    expect(authRequests).toEqual(expect.arrayContaining(['POST /auth/login', 'GET /auth/me']));
    const types = await askThroughUi(page, PROSE_ANSWER);
    expect(types).toEqual([
      'agent_started',
      'agent_thinking',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
      'cleanup_started',
      'cleanup_complete',
    ]);
    await expect(page.locator('body')).not.toContainText('[object Object]');
  });
});

test.describe('fault switches under the later product shape', () => {
  async function runWithFault(launchService: (options: { faults: string[]; env: Record<string, string> }) => Promise<RunningReferenceService>, fault: string) {
    return launchService({ faults: [fault], env: LATER_PRODUCT_SHAPE });
  }

  test('drop_event, fallback_answer and wrong_answer change the run as they do in the contract shape', async ({ launchService, createUser }) => {
    const cases: Array<{ fault: string; check: (run: SentFrame[]) => void }> = [
      { fault: 'drop_event:tool_completed', check: (run) => expect(laterTypes(run)).not.toContain('tool_completed') },
      {
        fault: 'fallback_answer',
        check: (run) => expect(run.find((frame) => frame.type === 'agent_completed')!.payload.result.response).toBe(FALLBACK_ANSWER),
      },
      {
        fault: 'wrong_answer',
        check: (run) => expect(run.find((frame) => frame.type === 'agent_completed')!.payload.result.response).toBe('The result is 337,492.'),
      },
    ];
    for (const { fault, check } of cases) {
      const service = await runWithFault(launchService, fault);
      const { socket, threadId } = await laterProductSession(service, await e2eLogin(service, await createUser()));
      const run = await socket.exchange(laterProductMessage(threadId), isCleanupComplete, `cleanup_complete under ${fault}`);
      check(run);
      socket.close();
      await service.stop();
    }
  });

  test("cross_user_fanout: another user's socket receives the run", async ({ launchService, createUser }) => {
    const service = await runWithFault(launchService, 'cross_user_fanout');
    const [user, bystander] = [await createUser(), await createUser()];
    const { socket, threadId } = await laterProductSession(service, await e2eLogin(service, user));
    const { socket: bystanderSocket } = await laterProductSession(service, await e2eLogin(service, bystander));
    const run = await socket.exchange(laterProductMessage(threadId), isCleanupComplete, 'cleanup_complete');
    const runId = run[0]!.payload.run_id;
    const leaked = await bystanderSocket.waitFor(
      (frame) => frame.payload?.run_id === runId && frame.type === 'agent_completed',
      "the other user's agent_completed",
    );
    expect(leaked.payload.user_id).toBe(user.id);
  });

  test('accept_alg_none: an unsigned token naming the env is welcomed', async ({ launchService, createUser }) => {
    const service = await runWithFault(launchService, 'accept_alg_none');
    const user = await createUser();
    const unsigned = await new TokenMinter(service.jwtSecret).mint('alg_none', user);
    const { socket } = await laterProductSession(service, unsigned);
    expect(socket.frames.find((frame) => frame.type === 'connection_established')!.payload.user_id).toBe(user.id);
    socket.close();
  });

  test("accept_foreign_thread: a message naming another user's thread runs in it, despite the handshake's thread", async ({
    launchService,
    createUser,
    database,
  }) => {
    const service = await runWithFault(launchService, 'accept_foreign_thread');
    const [user, other] = [await createUser(), await createUser()];
    const foreignThread = randomUUID();
    await database.query('INSERT INTO threads (id, user_id) VALUES ($1, $2)', [foreignThread, other.id]);
    const { socket } = await laterProductSession(service, await e2eLogin(service, user));
    const run = await socket.exchange(laterProductMessage(foreignThread), isCleanupComplete, 'cleanup_complete');
    expect(run.every((frame) => frame.payload.thread_id === foreignThread)).toBe(true);
    socket.close();
  });

  test('accept_no_credential: a socket with no credential is welcomed as demo-user-001', async ({ launchService }) => {
    const service = await runWithFault(launchService, 'accept_no_credential');
    const socket = new FrameSocket(service.wsUrl);
    const welcome = await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');
    expect(welcome.payload.user_id).toBe('demo-user-001');
    socket.close();
  });
});

test.describe('the gateway shape', () => {
  test('over HTTP: the login at /api/auth/signin answers {token}; the probes are /healthz and /readyz; there are no tickets', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: GATEWAY_SHAPE });
    const user = await createUser();
    const login = await fetch(`${service.baseUrl}/api/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const body = (await login.json()) as { token: string };
    expect(Object.keys(body).sort()).toEqual(['token', 'user']);
    expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${service.baseUrl}/api/websocket/ticket`, { method: 'POST', headers: { authorization: `Bearer ${body.token}` } })).status).toBe(404);
    const socket = new FrameSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${body.token}`] });
    await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');
    const run = await socket.exchange({ type: 'user_message', text: PROMPT }, (frame) => frame.type === 'agent_completed', 'agent_completed');
    for (const frame of run) expect(frame).toMatchObject({ runId: run[0]!.runId, threadId: expect.stringMatching(UUID), userId: user.id });
    expect(run.find((frame) => frame.type === 'tool_executing')).toMatchObject({ toolCallId: expect.stringMatching(UUID) });
    expect(run.at(-1)).toMatchObject({ final_response: '48213 * 7 = 337491' });
    socket.close();
  });

  test('the UI signs in at the gateway login and renders the answer', async ({ page, launchService, createUser }) => {
    const service = await launchService({ env: GATEWAY_SHAPE });
    await signInThroughUi(page, service, await createUser());
    expect(await askThroughUi(page, '48213 * 7 = 337491')).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_thinking',
      'agent_completed',
    ]);
  });
});

test.describe('the LLM product shape', () => {
  test('over the socket: frames typed under "event", renamed events and ids, a chat.send message, a streamed answer', async ({ launchService, createUser }) => {
    const service = await launchService({ env: LLM_PRODUCT_SHAPE });
    const user = await createUser();
    const login = await fetch(`${service.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const socket = new FrameSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${token}`] });
    await socket.waitFor((frame) => frame.event === 'connection_established', 'the welcome');
    const conversationId = randomUUID();
    const run = await socket.exchange(
      { event: 'chat.send', message: { role: 'user', content: [{ type: 'text', text: PROMPT }] }, conversationId },
      (frame) => frame.event === 'run.completed',
      'run.completed',
    );
    expect(run.map((frame) => frame.event)).toEqual([
      'run.started',
      'run.thinking',
      'tool.started',
      'tool.finished',
      'run.thinking',
      ...['The ', 'result ', 'is ', '337,491.'].map(() => 'agent_response_chunk'),
      'run.completed',
    ]);
    for (const frame of run) expect(frame).toMatchObject({ runId: run[0]!.runId, conversationId, user_id: user.id });
    expect(run.find((frame) => frame.event === 'tool.started')).toMatchObject({ callId: expect.stringMatching(UUID) });
    expect(run.at(-1)).toMatchObject({ final_response: PROSE_ANSWER });
    socket.close();
  });

  test('the UI signs in, speaks chat.send under "event" and renders the streamed answer', async ({ page, launchService, createUser }) => {
    const service = await launchService({ env: LLM_PRODUCT_SHAPE });
    await signInThroughUi(page, service, await createUser());
    expect(await askThroughUi(page, PROSE_ANSWER)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_thinking',
      'agent_completed',
    ]);
    await expect(page.getByTestId('assistant-draft')).toHaveCount(0);
  });
});
