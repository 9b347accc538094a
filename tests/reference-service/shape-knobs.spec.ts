import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { test, expect, type SeededUser } from '../../fixtures/index.ts';
import { requestJson } from '../../support/client/http.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';
import { runReferenceServiceUntilExit, type RunningReferenceService } from '../../support/stack/reference-service-process.ts';
import { FrameSocket, type SentFrame } from './frame-socket.ts';
import { LATER_PRODUCT_BYPASS_KEY, LATER_PRODUCT_SHAPE } from '../../support/self-test/reference-shapes.ts';

const POLICY_VIOLATION = 1008;
const PROMPT = 'What is 48213 * 7?';
const ANSWER = '48213 * 7 = 337491';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SESSION_RUN_ID = /^run_sess_[0-9a-f]{32}$/;

registerSecret(LATER_PRODUCT_BYPASS_KEY);

/** The harness's JSON request, read whatever the status: these tests assert on refusals too. */
const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) => requestJson('POST', url, { body, headers });
const getJson = (url: string, headers: Record<string, string> = {}) => requestJson('GET', url, { headers });

/** The access token of a password login at this URL, as the contract's login answers it. */
async function accessToken(loginUrl: string, user: SeededUser): Promise<string> {
  const { status, body } = await postJson(loginUrl, { email: user.email, password: user.password });
  expect(status, JSON.stringify(body)).toBe(200);
  return body.access_token ?? body.token;
}

/** Opens a socket and resolves once its first frame has arrived. */
async function openSocket(url: string, options: ConstructorParameters<typeof FrameSocket>[1] = {}): Promise<FrameSocket> {
  const socket = new FrameSocket(url, options);
  await socket.waitFor(() => true, 'a first frame');
  return socket;
}

/** The frames after `from`, once a ping has been answered: everything the service sent in reply to what came before it. */
async function framesUntilPong(socket: FrameSocket, from: number, ping: SentFrame = { type: 'ping' }, isPong = (frame: SentFrame) => frame.type === 'pong') {
  const pongAt = socket.frames.length;
  socket.send(ping);
  await socket.waitFor(isPong, 'the pong', pongAt);
  return socket.frames.slice(from).filter((frame) => !isPong(frame));
}

function configProtocol(service: RunningReferenceService) {
  const line = service
    .log()
    .split('\n')
    .find((entry) => entry.includes('"phase":"config"'))!;
  return JSON.parse(line).protocol;
}

test.describe('AUTH_PORT', () => {
  test('the auth routes move to their own listener, with CORS for the UI origin; the main listener answers 404 for them', async ({
    launchService,
    createUser,
  }) => {
    const otherApp = 'http://app.example.test';
    const service = await launchService({
      env: { AUTH_PORT: '0', TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: LATER_PRODUCT_BYPASS_KEY, ALLOWED_ORIGINS: otherApp },
    });
    const user = await createUser();
    expect(service.authUrl).not.toBe(service.baseUrl);
    expect(service.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    for (const [method, path] of [
      ['POST', '/auth/login'],
      ['GET', '/auth/me'],
      ['POST', '/auth/refresh'],
      ['POST', '/auth/logout'],
      ['POST', '/auth/test-login'],
    ] as const) {
      const response = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(response.status, `${method} ${path} on the main listener`).toBe(404);
    }

    const login = await postJson(`${service.authUrl}/auth/login`, { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(decodeJwt(login.body.access_token).sub).toBe(user.id);
    expect((await getJson(`${service.authUrl}/auth/me`, { authorization: `Bearer ${login.body.access_token}` })).body).toEqual({
      id: user.id,
      email: user.email,
    });
    const refreshed = await postJson(`${service.authUrl}/auth/refresh`, { refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const bypass = await postJson(`${service.authUrl}/auth/test-login`, { email: user.email }, { 'X-Test-Bypass-Key': LATER_PRODUCT_BYPASS_KEY });
    expect(bypass.status).toBe(200);
    expect(
      (await fetch(`${service.authUrl}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${refreshed.body.access_token}` } })).status,
    ).toBe(204);
    expect((await getJson(`${service.authUrl}/health`)).body).toMatchObject({ status: 'ok' });
    expect((await getJson(`${service.baseUrl}/health/ready`)).body).toMatchObject({ status: 'ready' });
    // The socket and the UI stay on the main listener.
    expect((await fetch(`${service.authUrl}/`)).status).toBe(404);
    const page = await (await fetch(`${service.baseUrl}/`)).text();
    expect(page).toContain(`<meta name="auth-url" content="${service.authUrl}" />`);

    const uiOrigin = service.baseUrl;
    const preflight = await fetch(`${service.authUrl}/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': uiOrigin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, authorization, x-test-bypass-key',
      'access-control-max-age': '600',
    });
    const fromUi = await postJson(`${service.authUrl}/auth/login`, { email: user.email, password: user.password }, { origin: uiOrigin });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(uiOrigin);

    const allowed = await fetch(`${service.authUrl}/auth/me`, { method: 'OPTIONS', headers: { origin: otherApp, 'access-control-request-method': 'GET' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(otherApp);

    const foreign = await fetch(`${service.authUrl}/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const foreignPost = await postJson(`${service.authUrl}/auth/login`, { email: user.email, password: user.password }, { origin: 'http://evil.example' });
    expect(foreignPost.headers.get('access-control-allow-origin')).toBeNull();

    expect(configProtocol(service)).toMatchObject({ auth_port: 0 });
    await service.stop();
    await expect(fetch(`${service.authUrl}/health`)).rejects.toThrow();
    await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
  });

  test('unset (the default): authUrl is baseUrl and the page names no auth host', async ({ referenceService }) => {
    expect(referenceService.authUrl).toBe(referenceService.baseUrl);
    expect(await (await fetch(`${referenceService.baseUrl}/`)).text()).toContain('<meta name="auth-url" content="" />');
  });
});

test.describe('LOGIN_PATH and LOGIN_RESPONSE', () => {
  test('token: the login at its own path answers {token, user} with the access JWT and no refresh token; /auth/login is 404', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { LOGIN_PATH: '/api/auth/signin', LOGIN_RESPONSE: 'token' } });
    const user = await createUser();
    const login = await postJson(`${service.baseUrl}/api/auth/signin`, { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ token: expect.any(String), user: { id: user.id, email: user.email } });
    expect(decodeJwt(login.body.token)).toMatchObject({ sub: user.id, email: user.email, token_type: 'access' });
    expect((await getJson(`${service.baseUrl}/auth/me`, { authorization: `Bearer ${login.body.token}` })).status).toBe(200);
    expect((await postJson(`${service.baseUrl}/auth/login`, { email: user.email, password: user.password })).status).toBe(404);
    expect((await postJson(`${service.baseUrl}/api/auth/signin`, { email: user.email, password: 'wrong-password' })).status).toBe(401);
  });
});

test.describe('HEALTH_PATH and READY_PATH', () => {
  test('move liveness and readiness; the old paths answer 404', async ({ launchService }) => {
    const service = await launchService({ env: { HEALTH_PATH: '/healthz', READY_PATH: '/readyz' } });
    expect(await getJson(`${service.baseUrl}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${service.baseUrl}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });
    expect((await fetch(`${service.baseUrl}/health`)).status).toBe(404);
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(404);
  });
});

test.describe('TEST_LOGIN_BODY', () => {
  test('e2e: the body must pose as OAuth; without simulate_oauth: true it is 422 {"error"}', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: LATER_PRODUCT_BYPASS_KEY, TEST_LOGIN_BODY: 'e2e' } });
    const user = await createUser();
    const url = `${service.baseUrl}/auth/test-login`;
    const key = { 'X-Test-Bypass-Key': LATER_PRODUCT_BYPASS_KEY };
    const e2e = { email: user.email, name: 'E2E user', permissions: ['read', 'write'], simulate_oauth: true };

    const login = await postJson(url, e2e, key);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), user: { id: user.id, email: user.email } });
    for (const body of [{ email: user.email }, { ...e2e, simulate_oauth: false }]) {
      expect(await postJson(url, body, key)).toMatchObject({ status: 422, body: { error: 'simulate_oauth must be true' } });
    }
    expect((await postJson(url, { ...e2e, permissions: 'all' }, key)).status).toBe(400);
    expect((await postJson(url, e2e, { 'X-Test-Bypass-Key': 'not-the-key-at-all' })).status).toBe(401);
  });
});

test.describe('TICKET_FIELD', () => {
  test('ticket_id: the ticket answer is {ticket_id, expires_at}, and that ticket opens a socket as ?ticket=', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { TICKET_FIELD: 'ticket_id' } });
    const user = await createUser();
    const token = await accessToken(`${service.baseUrl}/auth/login`, user);
    const before = Date.now();
    const answer = await postJson(`${service.baseUrl}/api/websocket/ticket`, {}, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ticket_id: expect.any(String), expires_at: expect.any(String) });
    registerSecret(answer.body.ticket_id);
    const expiresIn = Date.parse(answer.body.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(25_000);
    expect(expiresIn).toBeLessThan(35_000);
    const socket = await openSocket(`${service.wsUrl}?ticket=${answer.body.ticket_id}`);
    expect(socket.frames[0]).toMatchObject({ type: 'connection_established', user_id: user.id });
    socket.close();
  });
});

test.describe('WS_AUTH_ENV', () => {
  test('staging: each transport naming the env is welcomed (the whole subprotocol is selected); one without it is refused as environment_mismatch', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { WS_AUTH_ENV: 'staging' } });
    const user = await createUser();
    const token = await accessToken(`${service.baseUrl}/auth/login`, user);

    for (const scheme of ['jwt', 'jwt-auth', 'bearer']) {
      const socket = await openSocket(service.wsUrl, { protocols: [`${scheme}.staging.${token}`] });
      expect(socket.frames[0], scheme).toMatchObject({ type: 'connection_established', user_id: user.id });
      expect(socket.protocol).toBe(`${scheme}.staging.${token}`);
      socket.close();
    }
    const byQuery = await openSocket(`${service.wsUrl}?token=${token}&env=staging`);
    expect(byQuery.frames[0]).toMatchObject({ type: 'connection_established', user_id: user.id });
    byQuery.close();
    const byHeader = await openSocket(service.wsUrl, { headers: { Authorization: `Bearer ${token}`, 'X-Environment': 'staging' } });
    expect(byHeader.frames[0]).toMatchObject({ type: 'connection_established', user_id: user.id });
    byHeader.close();

    const refused = [
      new FrameSocket(service.wsUrl, { protocols: [`jwt-auth.${token}`] }),
      new FrameSocket(service.wsUrl, { protocols: [`jwt.production.${token}`] }),
      new FrameSocket(`${service.wsUrl}?token=${token}`),
      new FrameSocket(`${service.wsUrl}?token=${token}&env=production`),
      new FrameSocket(service.wsUrl, { headers: { Authorization: `Bearer ${token}` } }),
    ];
    for (const [index, socket] of refused.entries()) {
      expect(await socket.closed, `case ${index}`).toEqual({ code: POLICY_VIOLATION, reason: 'environment_mismatch: expected env staging' });
      expect(socket.frames, `case ${index}`).toEqual([]);
    }
    expect(configProtocol(service)).toMatchObject({ ws_auth_env: 'staging' });
  });

  test('with WS_REFUSAL=error-then-close, a token without the env gets the error frame, then 1008', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { WS_AUTH_ENV: 'staging', WS_REFUSAL: 'error-then-close' } });
    const token = await accessToken(`${service.baseUrl}/auth/login`, await createUser());
    const socket = new FrameSocket(service.wsUrl, { protocols: [`jwt-auth.${token}`] });
    expect(await socket.closed).toEqual({ code: POLICY_VIOLATION, reason: 'environment_mismatch: expected env staging' });
    expect(socket.frames).toEqual([
      { type: 'error', code: 'AUTH_FAILED', message: 'environment_mismatch: expected env staging', timestamp: expect.any(String) },
    ]);
  });
});

/** Opens a socket, answers the handshake, and returns it with the handshake's frames. */
async function handshaken(service: RunningReferenceService, token: string) {
  const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${token}`] });
  const response = await socket.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
  await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');
  const [complete] = await socket.exchange(
    { type: 'handshake_acknowledged', thread_id: response.thread_id },
    (frame) => frame.type === 'handshake_complete',
    'handshake_complete',
  );
  return { socket, response, complete: complete! };
}

test.describe('WS_HANDSHAKE', () => {
  for (const order of ['before-welcome', 'after-welcome'] as const) {
    test(`${order}: handshake_response names a new thread and a session; its acknowledgement completes the handshake`, async ({
      launchService,
      createUser,
    }) => {
      const service = await launchService({ env: { WS_HANDSHAKE: order } });
      const user = await createUser();
      const token = await accessToken(`${service.baseUrl}/auth/login`, user);
      const { socket, response, complete } = await handshaken(service, token);

      const types = socket.frames.map((frame) => frame.type);
      expect(types.slice(0, 2)).toEqual(
        order === 'before-welcome' ? ['handshake_response', 'connection_established'] : ['connection_established', 'handshake_response'],
      );
      expect(response).toEqual({
        type: 'handshake_response',
        thread_id: expect.stringMatching(UUID),
        run_id: expect.stringMatching(SESSION_RUN_ID),
        request_id: expect.stringMatching(UUID),
        session_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        timestamp: expect.any(String),
      });
      expect(complete).toEqual({ type: 'handshake_complete', thread_id: response.thread_id, timestamp: expect.any(String) });
      expect(service.log()).not.toContain(response.session_token);
      socket.close();
    });
  }

  test('a message before the handshake, or naming another thread, gets an error frame and starts no run; then runs go in the handshake thread under server run ids', async ({
    launchService,
    createUser,
    database,
  }) => {
    const service = await launchService({ env: { WS_HANDSHAKE: 'before-welcome' } });
    const user = await createUser();
    const token = await accessToken(`${service.baseUrl}/auth/login`, user);
    const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${token}`] });
    const response = await socket.waitFor((frame) => frame.type === 'handshake_response', 'handshake_response');
    await socket.waitFor((frame) => frame.type === 'connection_established', 'the welcome');

    const early = socket.frames.length;
    socket.send({ type: 'user_message', text: PROMPT });
    socket.send({ type: 'handshake_acknowledged', thread_id: randomUUID() });
    expect(await framesUntilPong(socket, early)).toEqual([
      { type: 'error', code: 'handshake_required', message: expect.stringContaining('handshake_acknowledged'), timestamp: expect.any(String) },
      { type: 'error', code: 'thread_mismatch', message: expect.stringContaining(response.thread_id), timestamp: expect.any(String) },
    ]);

    await socket.exchange(
      { type: 'handshake_acknowledged', thread_id: response.thread_id },
      (frame) => frame.type === 'handshake_complete',
      'handshake_complete',
    );
    const otherThread = randomUUID();
    const mismatched = socket.frames.length;
    socket.send({ type: 'user_message', text: PROMPT, thread_id: otherThread });
    expect(await framesUntilPong(socket, mismatched)).toEqual([
      { type: 'error', code: 'thread_mismatch', message: `this socket's thread is ${response.thread_id}, not ${otherThread}`, timestamp: expect.any(String) },
    ]);
    expect((await database.query('SELECT count(*)::int AS n FROM messages WHERE user_id = $1', [user.id])).rows).toEqual([{ n: 0 }]);

    const runIds: string[] = [];
    for (const message of [
      { type: 'user_message', text: PROMPT, thread_id: response.thread_id },
      { type: 'user_message', text: PROMPT },
    ]) {
      const run = await socket.exchange(message, (frame) => frame.type === 'agent_completed', 'agent_completed');
      const runId = run[0]!.run_id;
      expect(runId).toMatch(SESSION_RUN_ID);
      expect(runId).not.toBe(response.run_id);
      for (const frame of run) expect(frame, frame.type).toMatchObject({ thread_id: response.thread_id, run_id: runId, user_id: user.id });
      expect(run.at(-1)).toMatchObject({ final_response: ANSWER });
      runIds.push(runId);
    }
    expect(new Set(runIds).size).toBe(2);
    const stored = await database.query('SELECT DISTINCT thread_id, run_id::text FROM messages WHERE user_id = $1', [user.id]);
    expect(stored.rows.map((row) => row.thread_id)).toEqual([response.thread_id, response.thread_id]);
    expect(stored.rows.map((row) => `run_sess_${row.run_id.replaceAll('-', '')}`).sort()).toEqual([...runIds].sort());
    socket.close();
  });
});

test.describe('START_MESSAGE (later shapes)', () => {
  test("payload-content: the text under payload.content runs; the client run_id is only a label, the run id is the server's", async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { START_MESSAGE: 'payload-content' } });
    const user = await createUser();
    const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, user)}`] });
    const threadId = randomUUID();
    const run = await socket.exchange(
      { type: 'user_message', payload: { content: PROMPT, thread_id: threadId, run_id: 'client-label-1', timestamp: Date.now() / 1000 } },
      (frame) => frame.type === 'agent_completed',
      'agent_completed',
    );
    expect(run[0]!.run_id).toMatch(UUID);
    for (const frame of run) expect(frame).toMatchObject({ thread_id: threadId, run_id: run[0]!.run_id });
    expect(run.at(-1)).toMatchObject({ final_response: ANSWER });
    const [refused] = await socket.exchange({ type: 'user_message', payload: { text: PROMPT } }, (frame) => frame.type === 'error', 'an error');
    expect(refused).toMatchObject({ code: 'invalid_message', message: expect.stringContaining('payload.content') });
    socket.close();
  });

  test('nested: chat.send with the text in content parts runs in the thread it names', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { START_MESSAGE: 'nested' } });
    const user = await createUser();
    const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, user)}`] });
    const threadId = randomUUID();
    const message = {
      role: 'user',
      content: [
        { type: 'text', text: 'What is 48213 ' },
        { type: 'text', text: '* 7?' },
      ],
    };
    const run = await socket.exchange({ type: 'chat.send', message, thread_id: threadId }, (frame) => frame.type === 'agent_completed', 'agent_completed');
    for (const frame of run) expect(frame).toMatchObject({ thread_id: threadId, user_id: user.id });
    expect(run.at(-1)).toMatchObject({ final_response: ANSWER });
    const [refused] = await socket.exchange({ type: 'user_message', text: PROMPT }, (frame) => frame.type === 'error', 'an error');
    expect(refused).toMatchObject({ code: 'invalid_message' });
    socket.close();
  });
});

test.describe('WS_EVENT_WRAPPER, SUB_AGENTS and CLEANUP_EVENTS', () => {
  test('a run is a supervisor and its calculator sub-agent, with thinking, tools and a sub-agent start wrapped as system_message, then its cleanup', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { WS_EVENT_WRAPPER: 'system_message', SUB_AGENTS: 'true', CLEANUP_EVENTS: 'true', WS_ENVELOPE: 'data' } });
    const user = await createUser();
    const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, user)}`] });
    const run = await socket.exchange({ type: 'user_message', text: PROMPT }, (frame) => frame.type === 'cleanup_complete', 'cleanup_complete');

    const runId = run[0]!.data.run_id;
    const binding = { run_id: runId, thread_id: expect.stringMatching(UUID), user_id: user.id, timestamp: expect.any(String) };
    const executionId = run[4]!.payload.execution_id;
    expect(run).toEqual([
      { type: 'agent_started', data: { agent_name: 'supervisor', task_description: PROMPT, ...binding } },
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
        payload: { tool_name: 'calculator', tool_args: { expression: '48213 * 7' }, execution_id: expect.stringMatching(UUID), ...binding },
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
      { type: 'agent_completed', data: { status: 'completed', final_response: ANSWER, ...binding } },
      { type: 'cleanup_started', data: binding },
      { type: 'cleanup_complete', data: binding },
    ]);
    expect(configProtocol(service)).toMatchObject({ ws_event_wrapper: 'system_message', sub_agents: true, cleanup_events: true });
    socket.close();
  });
});

test.describe('ERROR_FRAME', () => {
  test('error-field: every error frame is {"type":"error","error":"<code>: <message>"}, with no code and no message', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { ERROR_FRAME: 'error-field', WS_REFUSAL: 'error-then-close' } });
    const socket = await openSocket(service.wsUrl, {
      protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, await createUser())}`],
    });
    const [notJson] = await (async () => {
      const from = socket.frames.length;
      socket.sendRaw('{not json');
      await socket.waitFor((frame) => frame.type === 'error', 'an error', from);
      return socket.frames.slice(from);
    })();
    expect(notJson).toEqual({ type: 'error', error: 'invalid_message: the frame is not JSON', timestamp: expect.any(String) });
    socket.close();

    const refused = new FrameSocket(service.wsUrl);
    expect((await refused.closed).code).toBe(POLICY_VIOLATION);
    expect(refused.frames).toEqual([
      {
        type: 'error',
        error: 'AUTH_FAILED: missing_credentials: send a credential; this service accepts only: subprotocol, header, query, ticket',
        timestamp: expect.any(String),
      },
    ]);
  });
});

test.describe('ANSWER_FIELD', () => {
  for (const field of ['result', 'response'] as const) {
    test(`${field}: agent_completed holds the answer under ${field}, and no final_response`, async ({ launchService, createUser }) => {
      const service = await launchService({ env: { ANSWER_FIELD: field, ANSWER_SHAPE: 'object' } });
      const socket = await openSocket(service.wsUrl, {
        protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, await createUser())}`],
      });
      const run = await socket.exchange({ type: 'user_message', text: PROMPT }, (frame) => frame.type === 'agent_completed', 'agent_completed');
      const completed = run.at(-1)!;
      expect(completed[field]).toEqual({ response: ANSWER, status: 'success', metadata: { tools: ['calculator'] } });
      expect(completed).not.toHaveProperty('final_response');
      socket.close();
    });
  }
});

test.describe('WS_TYPE_KEY', () => {
  test('event: every frame names its type under "event", and client frames are read by it too', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { WS_TYPE_KEY: 'event' } });
    const socket = await openSocket(service.wsUrl, {
      protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, await createUser())}`],
    });
    expect(socket.frames[0]).toMatchObject({ event: 'connection_established' });
    const run = await socket.exchange({ event: 'user_message', text: PROMPT }, (frame) => frame.event === 'agent_completed', 'agent_completed');
    expect(run.map((frame) => frame.event)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_thinking',
      'agent_completed',
    ]);
    for (const frame of [socket.frames[0]!, ...run]) expect(frame).not.toHaveProperty('type');
    expect(await socket.exchange({ event: 'ping' }, (frame) => frame.event === 'pong', 'pong')).toEqual([{ event: 'pong', timestamp: expect.any(String) }]);
    const [refused] = await socket.exchange({ type: 'ping' }, (frame) => frame.event === 'error', 'an error');
    expect(refused).toMatchObject({ event: 'error', code: 'invalid_message' });
    socket.close();
  });
});

test.describe('WS_ID_NAMES', () => {
  test('every server frame names its ids by the map, and the thread id of a client frame is read by its name', async ({ launchService, createUser }) => {
    const names = { run_id: 'runId', thread_id: 'conversationId', user_id: 'userId', execution_id: 'callId', connection_id: 'connectionId' };
    const service = await launchService({ env: { WS_ID_NAMES: JSON.stringify(names) } });
    const user = await createUser();
    const socket = await openSocket(service.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${await accessToken(`${service.baseUrl}/auth/login`, user)}`] });
    expect(socket.frames[0]).toEqual({
      type: 'connection_established',
      connectionId: expect.stringMatching(UUID),
      userId: user.id,
      timestamp: expect.any(String),
    });
    const threadId = randomUUID();
    const run = await socket.exchange(
      { type: 'user_message', text: PROMPT, conversationId: threadId },
      (frame) => frame.type === 'agent_completed',
      'agent_completed',
    );
    for (const frame of run) {
      expect(frame).toMatchObject({ runId: run[0]!.runId, conversationId: threadId, userId: user.id });
      for (const contractName of Object.keys(names)) expect(frame, frame.type).not.toHaveProperty(contractName);
    }
    expect(run[2]).toMatchObject({ type: 'tool_executing', callId: expect.stringMatching(UUID) });
    expect(run[3]).toMatchObject({ type: 'tool_completed', callId: run[2]!.callId });
    socket.close();
  });
});

test.describe('the startup config line', () => {
  test('names every later-shape setting in force, and never the bypass key', async ({ launchService }) => {
    const service = await launchService({
      env: { ...LATER_PRODUCT_SHAPE, WS_ID_NAMES: '{"execution_id":"callId"}', HEALTH_PATH: '/healthz', LOGIN_RESPONSE: 'token' },
    });
    expect(configProtocol(service)).toMatchObject({
      auth_port: 0,
      login_path: '/auth/login',
      login_response: 'token',
      health_path: '/healthz',
      ready_path: '/health/ready',
      ticket_field: 'ticket',
      test_login: { path: '/auth/e2e/test-auth', header: 'X-E2E-Bypass-Key', body: 'e2e' },
      ws_auth_env: 'staging',
      ws_handshake: 'before-welcome',
      ws_event_wrapper: 'system_message',
      sub_agents: true,
      cleanup_events: true,
      error_frame: 'error-field',
      start_message: 'payload-content',
      answer_field: 'result',
      ws_type_key: 'type',
      ws_id_names: { execution_id: 'callId' },
    });
    expect(service.log()).not.toContain(LATER_PRODUCT_BYPASS_KEY);
  });
});

test.describe('malformed shape settings', () => {
  test('are all named in one line, with exit 3', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({
      ...containers,
      env: {
        AUTH_PORT: 'auth',
        LOGIN_PATH: 'signin',
        LOGIN_RESPONSE: 'jwt',
        HEALTH_PATH: 'healthz',
        READY_PATH: '/ready z',
        TEST_LOGIN_BODY: 'oauth',
        TICKET_FIELD: 'id',
        WS_AUTH_ENV: 'Staging!',
        WS_HANDSHAKE: 'on',
        START_MESSAGE: 'content',
        WS_EVENT_WRAPPER: 'wrapped',
        SUB_AGENTS: 'yes',
        CLEANUP_EVENTS: 'yes',
        ERROR_FRAME: 'text',
        ANSWER_FIELD: 'answer',
        WS_TYPE_KEY: 'kind',
        WS_ID_NAMES: '{"request_id":"requestId"}',
      },
    });
    expect(exit.exitCode).toBe(3);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const problem of [
      'AUTH_PORT must be a port number',
      'LOGIN_PATH must be a path such as /auth/login',
      'LOGIN_RESPONSE must be one of contract, token',
      'HEALTH_PATH must be a path such as /health',
      'READY_PATH must be a path such as /health/ready',
      'TEST_LOGIN_BODY must be one of email, e2e',
      'TICKET_FIELD must be one of ticket, ticket_id',
      'WS_AUTH_ENV must be an environment name',
      'WS_HANDSHAKE must be one of off, after-welcome, before-welcome',
      'START_MESSAGE must be one of flat, payload, payload-content, nested',
      'WS_EVENT_WRAPPER must be one of off, system_message',
      'SUB_AGENTS must be true or false',
      'CLEANUP_EVENTS must be true or false',
      'ERROR_FRAME must be one of contract, error-field',
      'ANSWER_FIELD must be one of final_response, result, response',
      'WS_TYPE_KEY must be one of type, event',
      "WS_ID_NAMES names unknown id(s) 'request_id'",
    ]) {
      expect(lines[0]).toContain(problem);
    }
  });

  test('a system_message wrapper with the type under "event" is refused: exit 3 and one line', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, env: { WS_EVENT_WRAPPER: 'system_message', WS_TYPE_KEY: 'event' } });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr.trim().split('\n')).toEqual([expect.stringContaining('WS_EVENT_WRAPPER=system_message puts the wrapped event under "event"')]);
  });
});
