import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { test, expect, type SeededUser } from '../../fixtures/index.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';
import { passwordLogin, requestJson } from '../../support/client/http.ts';
import { fetchTicket, requestTicket } from '../../support/client/session.ts';
import { runReferenceServiceUntilExit, type RunningReferenceService } from '../../support/stack/reference-service-process.ts';
import { RecordingSocket, type WsCredential } from '../../support/ws/recording-socket.ts';
import { refusalOf } from '../../support/ws/refusal.ts';
import { PRODUCTION_SHAPE } from '../../support/self-test/target-variants.ts';

const POLICY_VIOLATION = 1008;
const PROMPT = 'What is 48213 * 7?';
const RUN_TYPES = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_thinking', 'agent_completed'];
const UUID = /^[0-9a-f-]{36}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TOKEN_KEY = 'netra_access_token';

type SentFrame = { type: string } & Record<string, any>;

/** The frames a socket received as the service sent them (RecordingSocket's `frame` is normalised). */
function sentFrames(socket: RecordingSocket): SentFrame[] {
  return socket.frames.map(({ raw }) => raw as SentFrame);
}

/** Waits until a frame, as sent, matches; like RecordingSocket's waits it fails at once if the socket closes. */
async function waitForSent(socket: RecordingSocket, predicate: (frame: SentFrame, index: number) => boolean, description: string) {
  const match = () => sentFrames(socket).find(predicate);
  await socket.waitFor(() => match() !== undefined, description);
  return match()!;
}

/** Opens a socket and resolves once its first frame, whatever the service calls it, has arrived. */
async function openSocket(service: { wsUrl: string }, credential: WsCredential): Promise<RecordingSocket> {
  const socket = RecordingSocket.connect(service.wsUrl, credential);
  await waitForSent(socket, () => true, 'the welcome frame');
  return socket;
}

async function openSocketFor(service: RunningReferenceService, user: SeededUser): Promise<RecordingSocket> {
  const { access_token } = await passwordLogin(service.baseUrl, user);
  return openSocket(service, { transport: 'subprotocol', token: access_token });
}

/** Sends a prompt and resolves with every frame sent after it, once the one called `lastType` arrived. */
async function runPrompt(socket: RecordingSocket, lastType = 'agent_completed', frame: Record<string, unknown> = { type: 'user_message', text: PROMPT }) {
  const from = socket.frames.length;
  socket.send(frame);
  await waitForSent(socket, (sent, index) => index >= from && sent.type === lastType, `"${lastType}" after ${JSON.stringify(frame)}`);
  return sentFrames(socket).slice(from);
}

/** A bypass key, registered so the evidence scrub removes it wherever a test writes it. */
function newBypassKey(): string {
  const key = randomBytes(24).toString('base64url');
  registerSecret(key);
  return key;
}

test.describe('WS_AUTH_MODES', () => {
  test('ticket only: a token by subprotocol, header or query is closed with 1008 naming the accepted transport; a ticket is welcomed', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { WS_AUTH_MODES: 'ticket' } });
    const user = await createUser();
    const { access_token } = await passwordLogin(service.baseUrl, user);

    for (const transport of ['subprotocol', 'header', 'query'] as const) {
      const socket = RecordingSocket.connect(service.wsUrl, { transport, token: access_token });
      expect(await refusalOf(socket), transport).toEqual({
        kind: 'close',
        code: POLICY_VIOLATION,
        reason: `transport_not_accepted: credentials by ${transport} are refused; this service accepts only: ticket`,
      });
      expect(socket.frames).toEqual([]);
    }
    const bare = RecordingSocket.connect(service.wsUrl, { transport: 'none' });
    expect(await refusalOf(bare)).toEqual({
      kind: 'close',
      code: POLICY_VIOLATION,
      reason: 'missing_credentials: send a credential; this service accepts only: ticket',
    });

    const socket = await openSocket(service, { transport: 'ticket', ticket: await fetchTicket(service.baseUrl, access_token) });
    expect(sentFrames(socket)[0]).toMatchObject({ type: 'connection_established', user_id: user.id });
    socket.close();

    // As behind the load balancer: the Authorization header is never read (a bad token there is harmless), the ticket beside it is used.
    const both = new WebSocket(`${service.wsUrl}?ticket=${await fetchTicket(service.baseUrl, access_token)}`, {
      headers: { Authorization: 'Bearer not-a-jwt' },
    });
    const first = await new Promise<SentFrame>((resolve, reject) => {
      both.once('message', (data) => resolve(JSON.parse(data.toString())));
      both.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    });
    expect(first).toMatchObject({ type: 'connection_established', user_id: user.id });
    both.close();
  });

  test('a list of transports accepts each of them and refuses the others', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { WS_AUTH_MODES: 'query, subprotocol' } });
    const { access_token } = await passwordLogin(service.baseUrl, await createUser());

    const header = RecordingSocket.connect(service.wsUrl, { transport: 'header', token: access_token });
    expect(await refusalOf(header)).toEqual({
      kind: 'close',
      code: POLICY_VIOLATION,
      reason: 'transport_not_accepted: credentials by header are refused; this service accepts only: subprotocol, query',
    });
    for (const transport of ['subprotocol', 'query'] as const) {
      const socket = await openSocket(service, { transport, token: access_token });
      expect(sentFrames(socket)[0]!.type).toBe('connection_established');
      socket.close();
    }
  });
});

test.describe('WS_ENVELOPE', () => {
  for (const envelope of ['payload', 'data'] as const) {
    test(`${envelope}: every frame of a complete run keeps only type at the root and its fields under "${envelope}"`, async ({ launchService, createUser }) => {
      const service = await launchService({ env: { WS_ENVELOPE: envelope } });
      const user = await createUser();
      const run = await runPrompt(await openSocketFor(service, user));

      expect(run.map((frame) => frame.type)).toEqual(RUN_TYPES);
      const runId = run[0]![envelope]?.run_id;
      for (const frame of run) {
        expect(Object.keys(frame).sort(), frame.type).toEqual([envelope, 'type'].sort());
        expect(frame[envelope], frame.type).toMatchObject({
          user_id: user.id,
          thread_id: expect.stringMatching(UUID),
          run_id: runId,
          timestamp: expect.any(String),
        });
      }
      expect(runId).toMatch(UUID);
      const [started, , executing, completed, , done] = run.map((frame) => frame[envelope]);
      expect(started).toMatchObject({ agent_name: 'reference-agent', task_description: PROMPT });
      expect(executing).toMatchObject({ tool_name: 'calculator', tool_args: { expression: '48213 * 7' }, execution_id: expect.stringMatching(UUID) });
      expect(completed).toMatchObject({ execution_id: executing.execution_id, results: { value: '337491' }, success: true, duration_ms: expect.any(Number) });
      expect(done).toMatchObject({ status: 'completed', final_response: '48213 * 7 = 337491' });
    });

    test(`${envelope}: the welcome, pong and error frames are wrapped the same way`, async ({ launchService, createUser, database }) => {
      const service = await launchService({ env: { WS_ENVELOPE: envelope } });
      const [user, other] = [await createUser(), await createUser()];
      const socket = await openSocketFor(service, user);
      expect(sentFrames(socket)[0]).toEqual({
        type: 'connection_established',
        [envelope]: { connection_id: expect.stringMatching(UUID), user_id: user.id, timestamp: expect.any(String) },
      });

      expect(await runPrompt(socket, 'pong', { type: 'ping' })).toEqual([{ type: 'pong', [envelope]: { timestamp: expect.any(String) } }]);
      socket.sendRaw('{not json');
      expect(await waitForSent(socket, (frame) => frame.type === 'error', 'an error frame')).toEqual({
        type: 'error',
        [envelope]: { code: 'invalid_message', message: 'the frame is not JSON', timestamp: expect.any(String) },
      });

      const foreignThread = randomUUID();
      await database.query('INSERT INTO threads (id, user_id) VALUES ($1, $2)', [foreignThread, other.id]);
      const [runError] = await runPrompt(socket, 'error', { type: 'user_message', text: PROMPT, thread_id: foreignThread });
      expect(runError).toEqual({
        type: 'error',
        [envelope]: {
          code: 'thread_not_found',
          message: expect.stringContaining(foreignThread),
          user_id: user.id,
          thread_id: foreignThread,
          run_id: expect.stringMatching(UUID),
          timestamp: expect.any(String),
        },
      });
      socket.close();
    });
  }

  test('root (the default): every frame of a run is flat, with no payload or data key', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const socket = await openSocketFor(referenceService, user);
    const run = await runPrompt(socket);

    expect(run.map((frame) => frame.type)).toEqual(RUN_TYPES);
    for (const frame of [sentFrames(socket)[0]!, ...run]) {
      expect(frame, frame.type).not.toHaveProperty('payload');
      expect(frame, frame.type).not.toHaveProperty('data');
      expect(frame, frame.type).toMatchObject({ user_id: user.id, timestamp: expect.any(String) });
    }
    expect(run.at(-1)).toMatchObject({ final_response: '48213 * 7 = 337491', run_id: run[0]!.run_id });
    socket.close();
  });
});

test.describe('WS_WELCOME_TYPE', () => {
  test('connection_ready names the first frame, with the welcome fields, and no connection_established is sent', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { WS_WELCOME_TYPE: 'connection_ready' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);
    expect(sentFrames(socket)[0]).toEqual({
      type: 'connection_ready',
      connection_id: expect.stringMatching(UUID),
      user_id: user.id,
      timestamp: expect.any(String),
    });
    const run = await runPrompt(socket);
    expect(run.map((frame) => frame.type)).toEqual(RUN_TYPES);
    expect(sentFrames(socket).map((frame) => frame.type)).not.toContain('connection_established');
    socket.close();
  });
});

test.describe('EVENT_NAMES', () => {
  test('renames exactly the mapped events, and nothing else', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { EVENT_NAMES: JSON.stringify({ agent_started: 'run.started', agent_completed: 'run.completed' }) } });
    const socket = await openSocketFor(service, await createUser());
    expect(sentFrames(socket)[0]!.type).toBe('connection_established');

    const run = await runPrompt(socket, 'run.completed');
    expect(run.map((frame) => frame.type)).toEqual(['run.started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_thinking', 'run.completed']);
    expect(run.at(-1)).toMatchObject({ final_response: '48213 * 7 = 337491', run_id: run[0]!.run_id });
    expect(await runPrompt(socket, 'pong', { type: 'ping' })).toEqual([{ type: 'pong', timestamp: expect.any(String) }]);
    socket.close();
  });

  test('a map that is not JSON, names an unknown event or gives two frames one name stops the service with exit 3 and one line', async ({ containers }) => {
    const cases = [
      {
        map: '{"agent_startd":"run.started"}',
        problem:
          /EVENT_NAMES names unknown event\(s\) 'agent_startd'; it may rename: agent_started, agent_thinking, tool_executing, tool_completed, agent_completed/,
      },
      { map: 'agent_started=run.started', problem: /EVENT_NAMES is not JSON/ },
      { map: '{"agent_started":"agent_completed"}', problem: /EVENT_NAMES would send 'agent_completed' for two different frames/ },
      { map: '{"agent_completed":"error"}', problem: /EVENT_NAMES would send 'error' for two different frames/ },
    ];
    for (const { map, problem } of cases) {
      const exit = await runReferenceServiceUntilExit({ ...containers, env: { EVENT_NAMES: map } });
      expect(exit.exitCode, map).toBe(3);
      expect(exit.stderr.trim().split('\n'), map).toEqual([expect.stringMatching(/^reference-service: startup failed in phase 'config': /)]);
      expect(exit.stderr, map).toMatch(problem);
    }
  });
});

test.describe('LOGIN_DELAY_MS', () => {
  test('login still succeeds, but only after the delay', async ({ launchService, createUser }) => {
    const delayMs = 1500;
    const service = await launchService({ env: { LOGIN_DELAY_MS: String(delayMs) } });
    const user = await createUser();
    const response = await requestJson('POST', `${service.baseUrl}/auth/login`, { body: { email: user.email, password: user.password } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', user: { id: user.id, email: user.email } });
    expect(response.elapsedMs).toBeGreaterThanOrEqual(delayMs);
    expect((await requestJson('GET', `${service.baseUrl}/auth/me`, { token: response.body.access_token })).body).toEqual({ id: user.id, email: user.email });
  });
});

test.describe('test-login bypass', () => {
  test('with the key, answers like a successful /auth/login for that user', async ({ launchService, createUser }) => {
    const key = newBypassKey();
    const service = await launchService({ env: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: key } });
    const user = await createUser();

    const bypass = await requestJson('POST', `${service.baseUrl}/auth/test-login`, { body: { email: user.email }, headers: { 'X-Test-Bypass-Key': key } });
    expect(bypass.status).toBe(200);
    const password = await passwordLogin(service.baseUrl, user);
    expect(Object.keys(bypass.body).sort()).toEqual(Object.keys(password).sort());
    expect(bypass.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: password.expires_in,
      user: { id: user.id, email: user.email },
    });
    expect((await requestJson('GET', `${service.baseUrl}/auth/me`, { token: bypass.body.access_token })).body).toEqual({ id: user.id, email: user.email });
    const socket = await openSocket(service, { transport: 'subprotocol', token: bypass.body.access_token });
    expect(sentFrames(socket)[0]).toMatchObject({ type: 'connection_established', user_id: user.id });
    socket.close();
  });

  test('a wrong or missing key is 401 invalid_bypass_key, an unknown email 404, and the key never reaches the log', async ({ launchService, createUser }) => {
    const key = newBypassKey();
    const wrongKey = newBypassKey();
    const service = await launchService({ env: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: key } });
    const user = await createUser();
    const url = `${service.baseUrl}/auth/test-login`;

    const refusedHeaders: Record<string, string>[] = [{ 'X-Test-Bypass-Key': wrongKey }, { 'X-Test-Bypass-Key': `${key}x` }, {}];
    for (const headers of refusedHeaders) {
      const refused = await requestJson('POST', url, { body: { email: user.email }, headers });
      expect(refused.status, JSON.stringify(Object.keys(headers))).toBe(401);
      expect(refused.body).toEqual({ code: 'invalid_bypass_key', message: expect.stringContaining('X-Test-Bypass-Key') });
    }
    const unknown = await requestJson('POST', url, { body: { email: `nobody-${user.email}` }, headers: { 'X-Test-Bypass-Key': key } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'user_not_found', message: expect.stringContaining(`nobody-${user.email}`) });
    expect((await requestJson('POST', url, { body: { email: user.email }, headers: { 'X-Test-Bypass-Key': key } })).status).toBe(200);

    expect(service.log()).toContain('test-login bypass is on');
    expect(service.log()).not.toContain(key);
    expect(service.log()).not.toContain(wrongKey);
  });

  test('TEST_LOGIN_PATH and TEST_LOGIN_HEADER move the endpoint and its header', async ({ launchService, createUser }) => {
    const key = newBypassKey();
    const service = await launchService({
      env: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: key, TEST_LOGIN_PATH: '/internal/e2e-login', TEST_LOGIN_HEADER: 'X-E2E-Key' },
    });
    const user = await createUser();
    const moved = await requestJson('POST', `${service.baseUrl}/internal/e2e-login`, { body: { email: user.email }, headers: { 'X-E2E-Key': key } });
    expect(moved.status).toBe(200);
    expect(moved.body.user).toEqual({ id: user.id, email: user.email });
    const oldHeader = await requestJson('POST', `${service.baseUrl}/internal/e2e-login`, {
      body: { email: user.email },
      headers: { 'X-Test-Bypass-Key': key },
    });
    expect(oldHeader.status).toBe(401);
    const oldPath = await requestJson('POST', `${service.baseUrl}/auth/test-login`, { body: { email: user.email }, headers: { 'X-E2E-Key': key } });
    expect(oldPath.status).toBe(404);
  });

  test('without TEST_LOGIN_BYPASS_KEY the endpoint does not exist', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const response = await requestJson('POST', `${referenceService.baseUrl}/auth/test-login`, {
      body: { email: user.email },
      headers: { 'X-Test-Bypass-Key': 'anything-at-all-here' },
    });
    expect(response.status).toBe(404);
  });

  test('a TEST_LOGIN_PATH that is already a route is refused at start', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({
      ...containers,
      env: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: newBypassKey(), TEST_LOGIN_PATH: '/auth/login' },
    });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/phase 'routes': TEST_LOGIN_PATH \/auth\/login is already a route of the service\. Fix: choose another TEST_LOGIN_PATH/),
    ]);
  });

  test('the key is refused outside test mode: exit 3 and one line', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, env: { TEST_MODE: 'false', TEST_LOGIN_BYPASS_KEY: newBypassKey() } });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^reference-service: startup failed in phase 'config': TEST_LOGIN_BYPASS_KEY is set but TEST_MODE is not 'true'.*Fix: /),
    ]);
  });
});

test.describe('UI_LOGIN', () => {
  test('oauth: the page has no login form, only a "Sign in with SSO" placeholder', async ({ page, launchService }) => {
    const service = await launchService({ env: { UI_LOGIN: 'oauth' } });
    const html = await fetch(`${service.baseUrl}/`).then((response) => response.text());
    expect(html).not.toContain('data-testid="login-email"');
    expect(html).not.toContain('data-testid="login-password"');
    expect(html).toContain('Sign in with SSO');

    await page.goto(service.baseUrl);
    await expect(page.getByTestId('sso-login')).toBeVisible();
    await page.getByTestId('sso-login').click();
    await expect(page.getByTestId('sso-notice')).toContainText(TOKEN_KEY);
    await expect(page.getByTestId('chat-input')).toBeHidden();
  });

  test('oauth: a token already in localStorage opens the chat, which works as with the form', async ({ page, launchService, createUser }) => {
    const service = await launchService({ env: { UI_LOGIN: 'oauth' } });
    const user = await createUser();
    const { access_token } = await passwordLogin(service.baseUrl, user);
    await page.addInitScript(({ key, token }) => window.localStorage.setItem(key, token), { key: TOKEN_KEY, token: access_token });

    await page.goto(service.baseUrl);
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    await expect(page.getByTestId('current-user')).toHaveText(user.email);
    await askAndExpectAnswer(page);
  });

  test('form (the default) still serves the login form', async ({ referenceService }) => {
    const html = await fetch(`${referenceService.baseUrl}/`).then((response) => response.text());
    expect(html).toContain('data-testid="login-email"');
    expect(html).not.toContain('Sign in with SSO');
  });
});

test.describe('UI_TEST_ID_ATTRIBUTE', () => {
  test('data-qa: every hook, in the page and added by its script, carries data-qa instead of data-testid', async ({ page, launchService, createUser }) => {
    const service = await launchService({ env: { UI_TEST_ID_ATTRIBUTE: 'data-qa' } });
    const html = await fetch(`${service.baseUrl}/`).then((response) => response.text());
    expect(html).toContain('data-qa="login-email"');
    expect(html).not.toContain('data-testid=');

    const user = await createUser();
    await page.goto(service.baseUrl);
    await page.locator('[data-qa="login-email"]').fill(user.email);
    await page.locator('[data-qa="login-password"]').fill(user.password);
    await page.locator('[data-qa="login-submit"]').click();
    await page.locator('[data-qa="chat-input"]').fill('What is 48213 * 7?');
    await page.locator('[data-qa="chat-send"]').click();
    await expect(page.locator('[data-qa="assistant-message"]')).toContainText('337491');
    await expect(page.locator('[data-testid]')).toHaveCount(0);
  });
});

async function askAndExpectAnswer(page: Page) {
  await page.getByTestId('chat-input').fill(PROMPT);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('assistant-message')).toHaveText('48213 * 7 = 337491');
  const types = await page.getByTestId('event-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
  expect(types).toEqual(RUN_TYPES);
}

test.describe('variants together', () => {
  test('the UI signs in and renders the answer on a ticket-only, data-wrapped, renamed, connection_ready service', async ({
    page,
    launchService,
    createUser,
  }) => {
    const service = await launchService({
      env: {
        WS_AUTH_MODES: 'ticket',
        WS_ENVELOPE: 'data',
        WS_WELCOME_TYPE: 'connection_ready',
        EVENT_NAMES: JSON.stringify({ agent_started: 'run.started', tool_completed: 'tool.done', agent_completed: 'run.completed' }),
      },
    });
    const user = await createUser();
    await page.goto(service.baseUrl);
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    await askAndExpectAnswer(page);
  });

  test('the startup config line names every variant setting, and never the bypass key', async ({ launchService }) => {
    const key = newBypassKey();
    const eventNames = { agent_completed: 'run.completed' };
    const service = await launchService({
      env: {
        TEST_MODE: 'true',
        WS_AUTH_MODES: 'ticket,subprotocol',
        WS_ENVELOPE: 'payload',
        WS_WELCOME_TYPE: 'connection_ready',
        EVENT_NAMES: JSON.stringify(eventNames),
        LOGIN_DELAY_MS: '250',
        UI_LOGIN: 'oauth',
        UI_TEST_ID_ATTRIBUTE: 'data-qa',
        TEST_LOGIN_BYPASS_KEY: key,
        WS_REFUSAL: 'error-then-close',
        WS_WELCOME_ENVELOPE: 'root',
        WS_TIMESTAMPS: 'epoch-millis',
        EVENT_USER_ID: 'null',
        ECHO_PROMPT: 'false',
        START_MESSAGE: 'payload',
        STREAM_CHUNKS: 'true',
        ANSWER_SHAPE: 'object',
        TOOL_DURATION_FIELD: 'execution_time',
        HEARTBEAT_MS: '60000',
      },
    });
    const configLine = service
      .log()
      .split('\n')
      .filter((line) => line.includes('"phase":"config"'))
      .map((line) => JSON.parse(line));
    expect(configLine).toEqual([
      expect.objectContaining({
        msg: 'phase config: ok',
        protocol: {
          ws_auth_modes: ['subprotocol', 'ticket'],
          ws_refusal: 'error-then-close',
          ws_envelope: 'payload',
          ws_welcome_envelope: 'root',
          ws_welcome_type: 'connection_ready',
          ws_timestamps: 'epoch-millis',
          event_names: eventNames,
          event_user_id: 'null',
          echo_prompt: false,
          start_message: 'payload',
          stream_chunks: true,
          answer_shape: 'object',
          tool_duration_field: 'execution_time',
          heartbeat_ms: 60000,
          tickets: true,
          login_delay_ms: 250,
          ui_login: 'oauth',
          ui_test_id_attribute: 'data-qa',
          test_login: { path: '/auth/test-login', header: 'X-Test-Bypass-Key', body: 'email' },
          // The later shapes' settings, at their defaults (tests/reference-service/shape-knobs.spec.ts sets them).
          auth_port: 'off',
          login_path: '/auth/login',
          login_response: 'contract',
          health_path: '/health',
          ready_path: '/health/ready',
          ticket_field: 'ticket',
          ws_auth_env: 'off',
          ws_handshake: 'off',
          ws_event_wrapper: 'off',
          sub_agents: false,
          cleanup_events: false,
          error_frame: 'contract',
          answer_field: 'final_response',
          ws_type_key: 'type',
          ws_id_names: {},
        },
      }),
    ]);
    expect(service.log()).not.toContain(key);
  });

  test('malformed variant settings are all named in one line, with exit 3', async ({ containers }) => {
    await expectStartupRefusedInOneLine(
      containers,
      {
        WS_AUTH_MODES: 'ticket,cookie',
        WS_ENVELOPE: 'body',
        WS_WELCOME_TYPE: 'hello',
        LOGIN_DELAY_MS: '-5',
        UI_LOGIN: 'saml',
        TEST_LOGIN_PATH: 'auth/test-login',
        TEST_LOGIN_HEADER: 'X Bypass',
      },
      [
        "WS_AUTH_MODES names unknown transport(s) 'cookie'; write a comma list of subprotocol, header, query, ticket",
        'WS_ENVELOPE must be one of root, payload, data',
        'WS_WELCOME_TYPE must be one of connection_established, connection_ready',
        'LOGIN_DELAY_MS must be 0 or more milliseconds',
        'UI_LOGIN must be one of form, oauth',
        'TEST_LOGIN_PATH must be a path',
        'TEST_LOGIN_HEADER must be an HTTP header name',
      ],
    );
  });
});

/** The service, started with these malformed settings, exits 3 with one stderr line naming every problem. */
async function expectStartupRefusedInOneLine(containers: { databaseUrl: string; redisUrl: string }, env: Record<string, string>, problems: string[]) {
  const exit = await runReferenceServiceUntilExit({ ...containers, env });
  expect(exit.exitCode).toBe(3);
  const lines = exit.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  for (const problem of problems) expect(lines[0]).toContain(problem);
}

/** The frames of a stretch of a socket's life without its heartbeats, which come between any two. */
function withoutHeartbeats(frames: SentFrame[]): SentFrame[] {
  return frames.filter((frame) => frame.type !== 'heartbeat');
}

/** The fields binding a frame to its run, as the first frame of the run gives them. */
function bindingOf(run: SentFrame[], userId: string | null) {
  expect(run[0]!.run_id).toMatch(UUID);
  expect(run[0]!.thread_id).toMatch(UUID);
  return { user_id: userId, thread_id: run[0]!.thread_id, run_id: run[0]!.run_id, timestamp: expect.stringMatching(ISO_TIME) };
}

test.describe('WS_REFUSAL', () => {
  test('error-then-close: a missing, bad, refused-transport or used credential is let in, sent one AUTH_FAILED error, then closed with 1008', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { WS_REFUSAL: 'error-then-close', WS_AUTH_MODES: 'subprotocol,ticket' } });
    const { access_token } = await passwordLogin(service.baseUrl, await createUser());
    const usedTicket = await fetchTicket(service.baseUrl, access_token);
    (await openSocket(service, { transport: 'ticket', ticket: usedTicket })).close();

    const cases: Array<{ name: string; credential: WsCredential; reason: string | RegExp }> = [
      {
        name: 'no credential',
        credential: { transport: 'none' },
        reason: 'missing_credentials: send a credential; this service accepts only: subprotocol, ticket',
      },
      { name: 'a bad token', credential: { transport: 'subprotocol', token: 'not-a-jwt' }, reason: /^invalid_token: \S/ },
      {
        name: 'a token by header',
        credential: { transport: 'header', token: access_token },
        reason: 'transport_not_accepted: credentials by header are refused; this service accepts only: subprotocol, ticket',
      },
      { name: 'a used ticket', credential: { transport: 'ticket', ticket: usedTicket }, reason: 'invalid_ticket: unknown, expired or already used' },
    ];
    for (const { name, credential, reason } of cases) {
      const socket = RecordingSocket.connect(service.wsUrl, credential);
      const refusal = await refusalOf(socket);
      expect(refusal, name).toEqual({ kind: 'close', code: POLICY_VIOLATION, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
      const { reason: closeReason } = refusal as { reason: string };
      expect(sentFrames(socket), name).toEqual([{ type: 'error', code: 'AUTH_FAILED', message: closeReason, timestamp: expect.stringMatching(ISO_TIME) }]);
    }

    const foreign = RecordingSocket.connect(service.wsUrl, { transport: 'subprotocol', token: access_token }, { origin: 'https://evil.example' });
    expect(await refusalOf(foreign)).toEqual({ kind: 'http', status: 403 });
    expect(foreign.frames).toEqual([]);
  });
});

test.describe('WS_WELCOME_ENVELOPE', () => {
  test('data while WS_ENVELOPE is root: the welcome alone wraps its fields; pong and run events stay flat', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { WS_WELCOME_ENVELOPE: 'data' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);
    expect(sentFrames(socket)[0]).toEqual({
      type: 'connection_established',
      data: { connection_id: expect.stringMatching(UUID), user_id: user.id, timestamp: expect.stringMatching(ISO_TIME) },
    });

    expect(await runPrompt(socket, 'pong', { type: 'ping' })).toEqual([{ type: 'pong', timestamp: expect.stringMatching(ISO_TIME) }]);
    const run = await runPrompt(socket);
    expect(run.map((frame) => frame.type)).toEqual(RUN_TYPES);
    for (const frame of run) expect(frame, frame.type).toMatchObject(bindingOf(run, user.id));
    expect(run.at(-1)).toMatchObject({ final_response: '48213 * 7 = 337491' });
    socket.close();
  });
});

test.describe('ECHO_PROMPT', () => {
  test('false: no frame before agent_completed repeats the prompt or its arithmetic; the calculator gets operands, the answer is prose', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { ECHO_PROMPT: 'false' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);

    const run = await runPrompt(socket);
    const binding = bindingOf(run, user.id);
    const executionId = run[2]!.execution_id;
    expect(executionId).toMatch(UUID);
    expect(run).toEqual([
      { type: 'agent_started', agent_name: 'reference-agent', task_description: "Answering the user's request", ...binding },
      { type: 'agent_thinking', reasoning: 'Planning: calling calculator.', ...binding },
      { type: 'tool_executing', tool_name: 'calculator', tool_args: { operands: [48213, 7], operator: '*' }, execution_id: executionId, ...binding },
      {
        type: 'tool_completed',
        tool_name: 'calculator',
        execution_id: executionId,
        results: { value: '337491' },
        duration_ms: expect.any(Number),
        success: true,
        ...binding,
      },
      { type: 'agent_thinking', reasoning: 'Composing the answer from 1 tool result(s).', ...binding },
      { type: 'agent_completed', status: 'completed', final_response: 'The result is 337,491.', ...binding },
    ]);
    for (const frame of run) expect(JSON.stringify(frame), frame.type).not.toMatch(/What is|48213 ?\* ?7/);

    const bracketed = await runPrompt(socket, 'agent_completed', { type: 'user_message', text: 'What is (2 + 3) * 4?' });
    expect(bracketed.find((frame) => frame.type === 'tool_executing')!.tool_args).toEqual({
      operands: [{ operands: [2, 3], operator: '+' }, 4],
      operator: '*',
    });
    expect(bracketed.at(-1)!.final_response).toBe('The result is 20.');
    for (const frame of bracketed) expect(JSON.stringify(frame), frame.type).not.toMatch(/What is|\(2 \+ 3\)/);
    socket.close();
  });
});

test.describe('WS_TIMESTAMPS', () => {
  const FORMATS = [
    { format: 'epoch-seconds', written: /^\d{10}(\.\d{1,3})?$/, toMillis: (seconds: number) => Math.round(seconds * 1000) },
    { format: 'epoch-millis', written: /^\d{13}$/, toMillis: (millis: number) => millis },
  ];
  for (const { format, written, toMillis } of FORMATS) {
    test(`${format}: the welcome, pong, heartbeat, run events and errors carry the time as a number of that unit`, async ({ launchService, createUser }) => {
      const before = Date.now();
      const service = await launchService({ env: { WS_TIMESTAMPS: format, HEARTBEAT_MS: '100' } });
      const socket = await openSocketFor(service, await createUser());
      await runPrompt(socket, 'pong', { type: 'ping' });
      await runPrompt(socket);
      socket.sendRaw('{not json');
      await waitForSent(socket, (frame) => frame.type === 'error', 'an error frame');
      await waitForSent(socket, (frame) => frame.type === 'heartbeat', 'a heartbeat');
      const after = Date.now();

      const frames = sentFrames(socket);
      expect(new Set(frames.map((frame) => frame.type))).toEqual(new Set(['connection_established', 'pong', 'heartbeat', 'error', ...RUN_TYPES]));
      for (const frame of frames) {
        expect(typeof frame.timestamp, frame.type).toBe('number');
        expect(String(frame.timestamp), frame.type).toMatch(written);
        expect(toMillis(frame.timestamp), frame.type).toBeGreaterThanOrEqual(before);
        expect(toMillis(frame.timestamp), frame.type).toBeLessThanOrEqual(after);
      }
      socket.close();
    });
  }
});

test.describe('ANSWER_SHAPE', () => {
  test('object: final_response holds the answer under response, with the tools behind it; the stored answer is the text', async ({
    launchService,
    createUser,
    database,
  }) => {
    const service = await launchService({ env: { ANSWER_SHAPE: 'object' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);

    const run = await runPrompt(socket);
    expect(run.at(-1)).toEqual({
      type: 'agent_completed',
      status: 'completed',
      final_response: { response: '48213 * 7 = 337491', status: 'success', metadata: { tools: ['calculator'] } },
      ...bindingOf(run, user.id),
    });
    const stored = await database.query("SELECT content FROM messages WHERE run_id = $1 AND role = 'assistant'", [run[0]!.run_id]);
    expect(stored.rows).toEqual([{ content: '48213 * 7 = 337491' }]);

    const help = await runPrompt(socket, 'agent_completed', { type: 'user_message', text: 'Hello there' });
    expect(help.at(-1)!.final_response).toEqual({ response: expect.stringMatching(/^I can do arithmetic/), status: 'success', metadata: { tools: [] } });
    socket.close();
  });
});

test.describe('STREAM_CHUNKS', () => {
  test('true: the answer streams a word at a time as agent_response_chunk frames of the run, then agent_completed repeats it whole', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { STREAM_CHUNKS: 'true' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);

    const run = await runPrompt(socket);
    const pieces = ['48213 ', '* ', '7 ', '= ', '337491'];
    expect(run.map((frame) => frame.type)).toEqual([...RUN_TYPES.slice(0, -1), ...pieces.map(() => 'agent_response_chunk'), 'agent_completed']);
    const binding = bindingOf(run, user.id);
    expect(run.filter((frame) => frame.type === 'agent_response_chunk')).toEqual(
      pieces.map((chunk, index) => ({ type: 'agent_response_chunk', chunk, index, ...binding })),
    );
    expect(run.at(-1)).toEqual({ type: 'agent_completed', status: 'completed', final_response: pieces.join(''), ...binding });
    socket.close();
  });
});

test.describe('HEARTBEAT_MS', () => {
  test('200: every open socket gets a heartbeat every 200 ms naming its connection and the open count, never a user or a run', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { HEARTBEAT_MS: '200' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);
    const heartbeatsOf = (of: RecordingSocket, from = 0) =>
      sentFrames(of)
        .slice(from)
        .filter((frame) => frame.type === 'heartbeat');
    const nextHeartbeat = async (of: RecordingSocket) => {
      const from = of.frames.length;
      return waitForSent(of, (frame, index) => index >= from && frame.type === 'heartbeat', 'the next heartbeat');
    };
    const heartbeat = (of: RecordingSocket, openConnections: number) => ({
      type: 'heartbeat',
      connection_id: sentFrames(of)[0]!.connection_id,
      stats: { open_connections: openConnections },
      timestamp: expect.stringMatching(ISO_TIME),
    });

    const other = await openSocketFor(service, await createUser());
    expect(await nextHeartbeat(socket)).toEqual(heartbeat(socket, 2));
    expect(await nextHeartbeat(other)).toEqual(heartbeat(other, 2));
    other.close();
    await other.closed;
    // The server may count the closed socket in the beat already on its way.
    const from = socket.frames.length;
    const afterClose = await waitForSent(
      socket,
      (frame, index) => index >= from && frame.type === 'heartbeat' && frame.stats.open_connections !== 2,
      'a heartbeat not counting the closed socket',
    );
    expect(afterClose).toEqual(heartbeat(socket, 1));

    const run = await runPrompt(socket);
    expect(withoutHeartbeats(run).map((frame) => frame.type)).toEqual(RUN_TYPES);
    await socket.waitFor(() => heartbeatsOf(socket).length >= 5, 'five heartbeats');
    const arrivals = socket.frames.filter(({ raw }) => (raw as SentFrame).type === 'heartbeat').map(({ at }) => at);
    for (const [index, at] of arrivals.entries()) if (index > 0) expect(at - arrivals[index - 1]!, `heartbeat ${index}`).toBeGreaterThan(100);
    for (const beat of heartbeatsOf(socket)) expect(Object.keys(beat).sort()).toEqual(['connection_id', 'stats', 'timestamp', 'type']);
    socket.close();
  });
});

test.describe('START_MESSAGE', () => {
  test('payload: a start message with its text under payload runs in the thread it names; the flat form is refused naming payload.text; ping stays flat', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { START_MESSAGE: 'payload' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);
    const threadId = randomUUID();

    const run = await runPrompt(socket, 'agent_completed', { type: 'user_message', payload: { text: PROMPT, references: [], thread_id: threadId } });
    expect(run.map((frame) => frame.type)).toEqual(RUN_TYPES);
    for (const frame of run) expect(frame, frame.type).toMatchObject({ user_id: user.id, thread_id: threadId, run_id: run[0]!.run_id });
    expect(run.at(-1)).toMatchObject({ final_response: '48213 * 7 = 337491' });

    expect(await runPrompt(socket, 'error', { type: 'user_message', text: PROMPT, thread_id: threadId })).toEqual([
      {
        type: 'error',
        code: 'invalid_message',
        message: 'payload: missing; expected payload.text, as in {"type":"user_message","payload":{"text":"…"}}',
        timestamp: expect.stringMatching(ISO_TIME),
      },
    ]);
    expect(await runPrompt(socket, 'pong', { type: 'ping' })).toEqual([{ type: 'pong', timestamp: expect.stringMatching(ISO_TIME) }]);
    expect(sentFrames(socket).filter((frame) => frame.type === 'agent_started')).toHaveLength(1);
    socket.close();
  });
});

test.describe('TICKETS', () => {
  test('false: the ticket endpoint is 404 and a ticket on the upgrade is a transport the service does not take; tokens still open sockets', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { TICKETS: 'false' } });
    const user = await createUser();
    const { access_token } = await passwordLogin(service.baseUrl, user);
    expect((await requestTicket(service.baseUrl, access_token)).status).toBe(404);

    const byTicket = RecordingSocket.connect(service.wsUrl, { transport: 'ticket', ticket: randomBytes(32).toString('base64url') });
    expect(await refusalOf(byTicket)).toEqual({
      kind: 'close',
      code: POLICY_VIOLATION,
      reason: 'transport_not_accepted: credentials by ticket are refused; this service accepts only: subprotocol, header, query',
    });
    for (const transport of ['subprotocol', 'header', 'query'] as const) {
      const socket = await openSocket(service, { transport, token: access_token });
      expect(sentFrames(socket)[0], transport).toMatchObject({ type: 'connection_established', user_id: user.id });
      socket.close();
    }
    const configLine = service
      .log()
      .split('\n')
      .find((line) => line.includes('"phase":"config"'))!;
    expect(JSON.parse(configLine).protocol).toMatchObject({ tickets: false, ws_auth_modes: ['subprotocol', 'header', 'query'] });
  });

  test('false while WS_AUTH_MODES names ticket stops the service: exit 3 and one line naming both', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, env: { TICKETS: 'false', WS_AUTH_MODES: 'ticket,subprotocol' } });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr.trim().split('\n')).toEqual([
      "reference-service: startup failed in phase 'config': WS_AUTH_MODES accepts 'ticket' but TICKETS=false leaves the service without a ticket endpoint. Fix: take ticket out of WS_AUTH_MODES, or set TICKETS=true",
    ]);
  });
});

test.describe('EVENT_USER_ID', () => {
  test('null: every frame of a run says "user_id": null, yet reaches only the sockets of the run\'s user; the welcome names the user', async ({
    launchService,
    createUser,
  }) => {
    const service = await launchService({ env: { EVENT_USER_ID: 'null', STREAM_CHUNKS: 'true' } });
    const [owner, other] = [await createUser(), await createUser()];
    const asker = await openSocketFor(service, owner);
    const ownersOtherTab = await openSocketFor(service, owner);
    const bystander = await openSocketFor(service, other);
    expect(sentFrames(asker)[0]).toMatchObject({ type: 'connection_established', user_id: owner.id });
    expect(sentFrames(bystander)[0]).toMatchObject({ type: 'connection_established', user_id: other.id });

    const run = await runPrompt(asker);
    expect(run.map((frame) => frame.type)).toContain('agent_response_chunk');
    for (const frame of run) expect(frame, frame.type).toMatchObject(bindingOf(run, null));
    await waitForSent(ownersOtherTab, (frame) => frame.type === 'agent_completed', "the run's agent_completed on the owner's other socket");
    expect(sentFrames(ownersOtherTab).slice(1)).toEqual(run);

    // The bystander's own run goes through the same channel after the owner's: by its end, a leak would have arrived.
    const own = await runPrompt(bystander);
    expect(sentFrames(bystander)).toEqual([sentFrames(bystander)[0], ...own]);
    expect(own.every((frame) => frame.run_id === own[0]!.run_id && frame.run_id !== run[0]!.run_id)).toBe(true);
    for (const socket of [asker, ownersOtherTab, bystander]) socket.close();
  });
});

test.describe('TOOL_DURATION_FIELD', () => {
  test('execution_time: tool_completed reports the duration in seconds under execution_time, and no duration_ms', async ({ launchService, createUser }) => {
    const service = await launchService({ env: { TOOL_DURATION_FIELD: 'execution_time' } });
    const user = await createUser();
    const socket = await openSocketFor(service, user);

    const run = await runPrompt(socket);
    expect(run[3]).toEqual({
      type: 'tool_completed',
      tool_name: 'calculator',
      execution_id: run[2]!.execution_id,
      results: { value: '337491' },
      execution_time: expect.any(Number),
      success: true,
      ...bindingOf(run, user.id),
    });
    // A database query takes a millisecond or more: in seconds, a small fraction.
    const usage = await runPrompt(socket, 'agent_completed', { type: 'user_message', text: 'What is my usage?' });
    const { execution_time: seconds } = usage.find((frame) => frame.type === 'tool_completed')!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(0.5);
    socket.close();
  });
});

test.describe('malformed production-shape settings', () => {
  test('are all named in one line, with exit 3', async ({ containers }) => {
    await expectStartupRefusedInOneLine(
      containers,
      {
        WS_REFUSAL: 'reject',
        WS_WELCOME_ENVELOPE: 'body',
        WS_TIMESTAMPS: 'unix',
        EVENT_USER_ID: 'absent',
        ECHO_PROMPT: 'maybe',
        START_MESSAGE: 'threaded',
        STREAM_CHUNKS: 'yes',
        ANSWER_SHAPE: 'json',
        TOOL_DURATION_FIELD: 'duration',
        HEARTBEAT_MS: '10',
        TICKETS: 'off',
      },
      [
        'WS_REFUSAL must be one of close, error-then-close',
        'WS_WELCOME_ENVELOPE must be one of root, payload, data',
        'WS_TIMESTAMPS must be one of iso, epoch-seconds, epoch-millis',
        'EVENT_USER_ID must be one of present, null',
        'ECHO_PROMPT must be true or false',
        'START_MESSAGE must be one of flat, payload',
        'STREAM_CHUNKS must be true or false',
        'ANSWER_SHAPE must be one of string, object',
        'TOOL_DURATION_FIELD must be one of duration_ms, execution_time',
        'HEARTBEAT_MS must be 0 (off) or 50-3600000 ms',
        'TICKETS must be true or false',
      ],
    );
  });
});

test.describe('the production shape (all of the above at once)', () => {
  test('a refused socket, the welcome and a full run, frame by frame', async ({ launchService, createUser }) => {
    const service = await launchService({ env: PRODUCTION_SHAPE });
    const user = await createUser();
    const [a, b] = [randomInt(10_000, 99_999), randomInt(2, 99)];
    const prompt = `What is ${a} * ${b}?`;
    const answer = `The result is ${(a * b).toLocaleString('en-US')}.`;

    const bare = RecordingSocket.connect(service.wsUrl, { transport: 'none' });
    const reason = 'missing_credentials: send a credential; this service accepts only: subprotocol, header, query';
    expect(await refusalOf(bare)).toEqual({ kind: 'close', code: POLICY_VIOLATION, reason });
    expect(sentFrames(bare)).toEqual([{ type: 'error', code: 'AUTH_FAILED', message: reason, timestamp: expect.any(Number) }]);
    const { access_token } = await passwordLogin(service.baseUrl, user);
    expect((await requestTicket(service.baseUrl, access_token)).status).toBe(404);

    const socket = await openSocket(service, { transport: 'subprotocol', token: access_token });
    const welcome = sentFrames(socket)[0]!;
    expect(welcome).toEqual({
      type: 'connection_established',
      data: { connection_id: expect.stringMatching(UUID), user_id: user.id, timestamp: expect.any(Number) },
    });

    const threadId = randomUUID();
    const run = withoutHeartbeats(
      await runPrompt(socket, 'agent_completed', { type: 'user_message', payload: { text: prompt, references: [], thread_id: threadId } }),
    );
    const binding = { user_id: null, thread_id: threadId, run_id: run[0]!.run_id, timestamp: expect.any(Number) };
    const executionId = run[2]!.execution_id;
    expect(run[0]!.run_id).toMatch(UUID);
    expect(executionId).toMatch(UUID);
    expect(run).toEqual([
      { type: 'agent_started', agent_name: 'reference-agent', task_description: "Answering the user's request", ...binding },
      { type: 'agent_thinking', reasoning: 'Planning: calling calculator.', ...binding },
      { type: 'tool_executing', tool_name: 'calculator', tool_args: { operands: [a, b], operator: '*' }, execution_id: executionId, ...binding },
      {
        type: 'tool_completed',
        tool_name: 'calculator',
        execution_id: executionId,
        results: { value: String(a * b) },
        execution_time: expect.any(Number),
        success: true,
        ...binding,
      },
      { type: 'agent_thinking', reasoning: 'Composing the answer from 1 tool result(s).', ...binding },
      ...['The ', 'result ', 'is ', `${(a * b).toLocaleString('en-US')}.`].map((chunk, index) => ({ type: 'agent_response_chunk', chunk, index, ...binding })),
      {
        type: 'agent_completed',
        status: 'completed',
        final_response: { response: answer, status: 'success', metadata: { tools: ['calculator'] } },
        ...binding,
      },
    ]);
    for (const frame of run) expect(JSON.stringify(frame), frame.type).not.toContain(`${a} * ${b}`);

    const heartbeat = await waitForSent(socket, (frame) => frame.type === 'heartbeat', 'a heartbeat');
    expect(heartbeat).toEqual({ type: 'heartbeat', connection_id: welcome.data.connection_id, stats: { open_connections: 1 }, timestamp: expect.any(Number) });
    const [refused] = withoutHeartbeats(await runPrompt(socket, 'error', { type: 'user_message', text: prompt }));
    expect(refused).toEqual({
      type: 'error',
      code: 'invalid_message',
      message: expect.stringContaining('expected payload.text'),
      timestamp: expect.any(Number),
    });
    socket.close();
  });

  test('the UI signs in, asks twice in one thread and renders each final answer as text', async ({ page, launchService, createUser, database }) => {
    const service = await launchService({ env: PRODUCTION_SHAPE });
    const user = await createUser();
    await page.goto(service.baseUrl);
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('connection-status')).toHaveText('connected');

    const products: string[] = [];
    for (const [a, b] of [
      [randomInt(10_000, 99_999), randomInt(2, 99)],
      [randomInt(10_000, 99_999), randomInt(2, 99)],
    ] as const) {
      await page.getByTestId('chat-input').fill(`What is ${a} * ${b}?`);
      await page.getByTestId('chat-send').click();
      products.push(`The result is ${(a * b).toLocaleString('en-US')}.`);
      await expect(page.getByTestId('assistant-message')).toHaveText(products);
    }
    await expect(page.getByTestId('assistant-draft')).toHaveCount(0);
    const types = await page.getByTestId('event-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
    expect(types).toEqual([...RUN_TYPES, ...RUN_TYPES]);
    await expect(page.locator('body')).not.toContainText('[object Object]');
    const threads = await database.query('SELECT DISTINCT thread_id FROM messages WHERE user_id = $1', [user.id]);
    expect(threads.rows).toHaveLength(1);
  });
});
