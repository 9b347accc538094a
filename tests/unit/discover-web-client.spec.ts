import { randomUUID } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { keepWhatBothShare, learnFromRecording, type Lesson } from '../../scripts/discover/web-client/learn.ts';
import type { RecordedExchange, WebClientRecording } from '../../scripts/discover/web-client/recording.ts';

// Recordings as the recorder makes them, built for each shape the reference service can take: one account's
// login, socket and run, with its own token, user, thread and run ids.

const PAGE = 'http://127.0.0.1:41000';
const PROMPT = 'What is 51691 * 337?';
const ANSWER = '17419867';

interface Account {
  email: string;
  password: string;
  userId: string;
  token: string;
}

function account(): Account {
  const userId = randomUUID();
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    email: `ada-${userId.slice(0, 6)}@example.com`,
    password: `pw-${randomUUID()}`,
    userId,
    token: `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, jti: randomUUID() })}.${randomUUID().replaceAll('-', '')}`,
  };
}

type Frame = ['sent' | 'received', Record<string, unknown>];

function recording(
  user: Account,
  options: { http: RecordedExchange[]; storage?: Record<string, string>; socketUrl: string; protocols?: string[]; frames: Frame[] },
): WebClientRecording {
  return {
    pageUrl: PAGE,
    typed: { email: user.email, password: user.password, prompts: [{ prompt: PROMPT, expectedAnswer: ANSWER }] },
    http: options.http,
    sockets: [
      {
        at: 500,
        url: options.socketUrl,
        offeredProtocols: options.protocols ?? [],
        requestHeaders: {},
        frames: options.frames.map(([direction, frame], index) => ({ at: 600 + index * 10, direction, text: JSON.stringify(frame) })),
      },
    ],
    localStorage: options.storage ?? {},
  };
}

const post = (url: string, requestBody: unknown, responseBody: unknown, headers: Record<string, string> = {}): RecordedExchange => ({
  at: 100,
  method: 'POST',
  url,
  requestHeaders: { 'content-type': 'application/json', ...headers },
  requestBody,
  status: 200,
  responseBody,
});

/** Every setting the lesson chose, the last choice of a name winning (as the profile is written). */
const settingsOf = (lesson: Lesson) => Object.assign({}, ...lesson.observations.map(({ settings }) => settings)) as Record<string, string>;

/** Today's contract and the reference UI: password login, the token in a subprotocol, flat frames. */
function contractRecording(user: Account): WebClientRecording {
  const thread = randomUUID();
  const run = randomUUID();
  const ids = { user_id: user.userId, thread_id: thread, run_id: run };
  return recording(user, {
    http: [
      post(
        `${PAGE}/auth/login`,
        { email: user.email, password: user.password },
        { access_token: user.token, refresh_token: 'eyJr.x.y', user: { id: user.userId, email: user.email } },
      ),
    ],
    storage: { netra_access_token: user.token },
    socketUrl: 'ws://127.0.0.1:41000/ws',
    protocols: ['jwt-auth', `jwt-auth.${user.token}`],
    frames: [
      ['received', { type: 'connection_established', connection_id: randomUUID(), user_id: user.userId, timestamp: '2026-12-06T20:18:13.034Z' }],
      ['sent', { type: 'user_message', text: PROMPT }],
      ['received', { type: 'agent_started', agent_name: 'reference-agent', task_description: PROMPT, ...ids, timestamp: '2026-12-06T20:18:13.100Z' }],
      ['received', { type: 'agent_thinking', reasoning: 'Planning: calling calculator.', ...ids, timestamp: '2026-12-06T20:18:13.101Z' }],
      [
        'received',
        {
          type: 'tool_executing',
          tool_name: 'calculator',
          tool_args: { expression: '51691 * 337' },
          execution_id: 'e1',
          ...ids,
          timestamp: '2026-12-06T20:18:13.102Z',
        },
      ],
      [
        'received',
        {
          type: 'tool_completed',
          tool_name: 'calculator',
          execution_id: 'e1',
          results: { value: ANSWER },
          duration_ms: 1,
          success: true,
          ...ids,
          timestamp: '2026-12-06T20:18:13.103Z',
        },
      ],
      ['received', { type: 'agent_completed', status: 'completed', final_response: `51691 * 337 = ${ANSWER}`, ...ids, timestamp: '2026-12-06T20:18:13.104Z' }],
    ],
  });
}

/** The later product: another auth host, a handshake before the welcome, wrapped events, sub-agents, cleanup. */
function laterProductRecording(user: Account): WebClientRecording {
  const thread = randomUUID();
  const run = `run_sess_${randomUUID().slice(0, 8)}`;
  const label = randomUUID();
  const ids = { run_id: run, thread_id: thread, user_id: user.userId };
  const wrapped = (event: string, payload: object) => ['received', { type: 'system_message', event, payload: { ...payload, ...ids } }] as Frame;
  return recording(user, {
    http: [post('http://127.0.0.1:41001/auth/login', { email: user.email, password: user.password }, { access_token: user.token, user: { id: user.userId } })],
    storage: { netra_access_token: user.token },
    socketUrl: 'ws://127.0.0.1:41000/ws?env=staging',
    protocols: [`jwt.staging.${user.token}`],
    frames: [
      [
        'received',
        {
          type: 'handshake_response',
          thread_id: thread,
          run_id: 'run_sess_0',
          request_id: randomUUID(),
          session_token: randomUUID(),
          timestamp: '2026-12-06T20:18:13Z',
        },
      ],
      // As the browser saw it: the page answers the handshake at once, before the welcome arrives.
      ['sent', { type: 'handshake_acknowledged', thread_id: thread }],
      ['received', { type: 'connection_established', payload: { connection_id: randomUUID(), user_id: user.userId } }],
      ['received', { type: 'handshake_complete', thread_id: thread }],
      ['sent', { type: 'user_message', payload: { content: PROMPT, thread_id: thread, run_id: label, timestamp: '2026-12-06T20:18:14.000Z' } }],
      ['received', { type: 'agent_started', payload: { agent_name: 'supervisor', ...ids } }],
      wrapped('agent_thinking', { reasoning: 'Delegating.' }),
      wrapped('agent_started', { agent_name: 'calculator_agent' }),
      wrapped('agent_thinking', { reasoning: 'Planning.' }),
      wrapped('tool_executing', { tool_name: 'calculator', execution_id: 'e1' }),
      wrapped('tool_completed', { tool_name: 'calculator', execution_id: 'e1', results: { value: ANSWER }, success: true }),
      ['received', { type: 'agent_completed', payload: { status: 'completed', result: { response: `The result is ${ANSWER}.` }, ...ids } }],
      ['received', { type: 'cleanup_started', payload: ids }],
      ['received', { type: 'cleanup_complete', payload: ids }],
    ],
  });
}

/** The LLM product: the type under "event", a nested start message, its own event and id names, streamed chunks. */
function llmProductRecording(user: Account): WebClientRecording {
  const conversation = randomUUID();
  const run = randomUUID();
  const ids = { runId: run, conversationId: conversation, user_id: user.userId };
  return recording(user, {
    http: [post(`${PAGE}/auth/login`, { email: user.email, password: user.password }, { access_token: user.token, user: { id: user.userId } })],
    storage: { netra_access_token: user.token },
    socketUrl: 'ws://127.0.0.1:41000/ws',
    protocols: ['jwt-auth', `jwt-auth.${user.token}`],
    frames: [
      ['received', { event: 'connection_established', connection_id: randomUUID(), user_id: user.userId }],
      ['sent', { event: 'chat.send', message: { role: 'user', content: [{ type: 'text', text: PROMPT }] }, conversationId: conversation }],
      ['received', { event: 'run.started', agent_name: 'reference-agent', ...ids }],
      ['received', { event: 'run.thinking', reasoning: 'Planning.', ...ids }],
      ['received', { event: 'tool.started', tool_name: 'calculator', callId: 'c1', ...ids }],
      ['received', { event: 'tool.finished', tool_name: 'calculator', callId: 'c1', results: { value: ANSWER }, ...ids }],
      ['received', { event: 'agent_response_chunk', chunk: ANSWER.slice(0, 4), ...ids }],
      ['received', { event: 'agent_response_chunk', chunk: ANSWER.slice(4), ...ids }],
      ['received', { event: 'run.completed', final_response: `51691 * 337 = ${ANSWER}`, ...ids }],
    ],
  });
}

test.describe('what discover learns from a recording of the web client', () => {
  test("today's contract: the login, where the token is kept, the subprotocols, a flat start message, the contract's names", () => {
    const user = account();
    const lesson = learnFromRecording(contractRecording(user));
    expect(settingsOf(lesson)).toMatchObject({
      LOGIN_PATH: '/auth/login',
      LOGIN_BODY: '{"email":"{{email}}","password":"{{password}}"}',
      LOGIN_TOKEN_PATH: 'access_token',
      LOGIN_USER_ID_PATH: 'user.id',
      LOGIN_STRATEGY: 'ui',
      TOKEN_STORAGE_KEY: 'netra_access_token',
      WS_URL: 'ws://127.0.0.1:41000/ws',
      WS_AUTH: 'subprotocol',
      WS_SUBPROTOCOLS: 'jwt-auth,jwt-auth.{{token}}',
      WS_TYPE_KEY: 'type',
      WS_WRAPPERS: '',
      WS_ID_FIELDS: '{}',
      WS_WELCOME_TYPES: 'connection_established',
      START_MESSAGE: '{"type":"user_message","text":"{{text}}"}',
      EVENT_NAME_MAP: '{}',
      RUN_EXTRA_EVENTS: '',
      RUN_CLOSING_EVENTS: '',
      RUN_SUB_AGENTS: 'false',
      ANSWER_PATH: 'final_response',
      EVENT_FIELDS: 'strict',
      WS_ENVELOPE: 'root',
    });
    expect(settingsOf(lesson).AUTH_URL, 'the login is on the page’s own host').toBeUndefined();
    expect(lesson.findings).toEqual([]);
    expect(lesson.notLearned).toEqual([]);
  });

  test('the later product: the auth host, the env in the subprotocol and query, the handshake, wrappers, sub-agents and cleanup', () => {
    const user = account();
    const lesson = learnFromRecording(laterProductRecording(user));
    expect(settingsOf(lesson)).toMatchObject({
      AUTH_URL: 'http://127.0.0.1:41001',
      LOGIN_PATH: '/auth/login',
      WS_URL: 'ws://127.0.0.1:41000/ws',
      WS_AUTH: 'subprotocol',
      WS_SUBPROTOCOLS: 'jwt.staging.{{token}}',
      WS_QUERY: 'env=staging',
      WS_WRAPPERS: 'system_message:event',
      WS_WELCOME_TYPES: 'connection_established',
      HANDSHAKE_FRAME: 'handshake_response',
      HANDSHAKE_REPLY: '{"type":"handshake_acknowledged","thread_id":"{{handshake.thread_id}}"}',
      HANDSHAKE_DONE: 'handshake_complete',
      START_MESSAGE: '{"type":"user_message","payload":{"content":"{{text}}","thread_id":"{{handshake.thread_id}}","run_id":"{{request_id}}"}}',
      RUN_SUB_AGENTS: 'true',
      RUN_CLOSING_EVENTS: 'cleanup_started,cleanup_complete',
      ANSWER_PATH: 'result.response',
      EVENT_NAME_MAP: '{}',
    });
  });

  test('the LLM product: the type key, a nested start message, event and id names, chunks as extra events', () => {
    const user = account();
    const lesson = learnFromRecording(llmProductRecording(user));
    expect(settingsOf(lesson)).toMatchObject({
      WS_TYPE_KEY: 'event',
      WS_ID_FIELDS: '{"thread_id":"conversationId","run_id":"runId","execution_id":"callId"}',
      START_MESSAGE: '{"event":"chat.send","message":{"role":"user","content":[{"type":"text","text":"{{text}}"}]},"conversationId":"{{thread_id}}"}',
      EVENT_NAME_MAP: JSON.stringify({
        agent_started: 'run.started',
        agent_thinking: 'run.thinking',
        tool_executing: 'tool.started',
        tool_completed: 'tool.finished',
        agent_completed: 'run.completed',
      }),
      RUN_EXTRA_EVENTS: 'agent_response_chunk',
      ANSWER_PATH: 'final_response',
    });
  });

  test('a gateway: login at its own path answering {token, user}; a ticket endpoint answering ticket_id', () => {
    const user = account();
    const ticket = randomUUID();
    const base = contractRecording(user);
    const rec: WebClientRecording = {
      ...base,
      http: [
        post(`${PAGE}/api/auth/signin`, { email: user.email, password: user.password }, { token: user.token, user: { id: user.userId, email: user.email } }),
        { ...post(`${PAGE}/api/websocket/ticket`, undefined, { ticket_id: ticket, expires_at: 'soon' }, { authorization: `Bearer ${user.token}` }), at: 300 },
      ],
      sockets: [{ ...base.sockets[0]!, url: `ws://127.0.0.1:41000/ws?ticket=${ticket}`, offeredProtocols: [] }],
    };
    const settings = settingsOf(learnFromRecording(rec));
    expect(settings).toMatchObject({ LOGIN_PATH: '/api/auth/signin', LOGIN_TOKEN_PATH: 'token', LOGIN_USER_ID_PATH: 'user.id' });
    expect(settings).toMatchObject({ WS_URL: 'ws://127.0.0.1:41000/ws', WS_AUTH: 'ticket', TICKET_PATH: '/api/websocket/ticket', TICKET_FIELD: 'ticket_id' });
    expect(settings.WS_QUERY, 'the ticket is no constant query parameter').toBeUndefined();
  });

  test('two accounts: a value that differs between them is left out and named; no token or password is in any setting', () => {
    const [first, second] = [account(), account()];
    // A page that puts its user's id in the socket's query: a value of one user, not a constant.
    const withUserQuery = (user: Account) => {
      const rec = laterProductRecording(user);
      rec.sockets[0]!.url = `ws://127.0.0.1:41000/ws?env=staging&uid=${user.userId}`;
      return rec;
    };
    const lesson = keepWhatBothShare(learnFromRecording(withUserQuery(first)), learnFromRecording(withUserQuery(second)));
    const settings = settingsOf(lesson);
    expect(settings.WS_QUERY).toBeUndefined();
    expect(lesson.notLearned).toContainEqual({
      settings: ['WS_QUERY'],
      why: "its value differs between the two accounts' recordings: it belongs to one user or session",
    });
    expect(settings.HANDSHAKE_REPLY, 'a template, the same for both').toBe('{"type":"handshake_acknowledged","thread_id":"{{handshake.thread_id}}"}');
    const text = JSON.stringify(lesson.observations);
    for (const secret of [first.token, first.password, second.token, second.password, first.userId]) expect(text).not.toContain(secret);
  });

  test('a page whose login carried no password: the login settings are named as not learned, for probing to decide', () => {
    const user = account();
    const rec = contractRecording(user);
    rec.http = [];
    const lesson = learnFromRecording(rec);
    expect(lesson.notLearned).toContainEqual({
      settings: ['AUTH_URL', 'LOGIN_PATH', 'LOGIN_BODY', 'LOGIN_TOKEN_PATH'],
      why: 'no request of the page carried the typed password',
    });
    expect(lesson.notLearned).toContainEqual({
      settings: ['WS_AUTH'],
      why: "the page's socket carried the login's token in no subprotocol, query parameter or ticket",
    });
    expect(lesson.socket, 'no socket the probes could speak').toBeUndefined();
  });

  test('a page that names its thread only in its next message (the reference UI): the start message is that one, its thread {{thread_id}}', () => {
    const user = account();
    const rec = contractRecording(user);
    const [, firstPrompt, ...firstRun] = rec.sockets[0]!.frames;
    const thread = (JSON.parse(firstRun[0]!.text) as { thread_id: string }).thread_id;
    const followUp = { prompt: 'What is 40000 * 101?', expectedAnswer: '4040000' };
    const run = randomUUID();
    const secondRun = firstRun.map((frame) => ({
      ...frame,
      text: frame.text
        .replaceAll(PROMPT, followUp.prompt)
        .replaceAll(ANSWER, followUp.expectedAnswer)
        .replace(/"run_id":"[^"]+"/, `"run_id":"${run}"`),
    }));
    rec.sockets[0]!.frames.push({ ...firstPrompt!, text: JSON.stringify({ type: 'user_message', text: followUp.prompt, thread_id: thread }) }, ...secondRun);
    rec.typed.prompts.push(followUp);
    const settings = settingsOf(learnFromRecording(rec));
    expect(settings.START_MESSAGE).toBe('{"type":"user_message","text":"{{text}}","thread_id":"{{thread_id}}"}');
    expect(settings).toMatchObject({ ANSWER_PATH: 'final_response', WS_WELCOME_TYPES: 'connection_established' });
    expect(settings.HANDSHAKE_FRAME, 'the first prompt is no handshake').toBeUndefined();
  });

  test('a welcome in another form than the events (the real product: data, then flat events): WS_ENVELOPE=auto', () => {
    const user = account();
    const rec = contractRecording(user);
    rec.sockets[0]!.frames[0]!.text = JSON.stringify({ type: 'connection_established', data: { connection_id: 'c0', user_id: user.userId } });
    expect(settingsOf(learnFromRecording(rec)).WS_ENVELOPE).toBe('auto');
  });

  test('a welcome naming another user is a security finding, not a setting', () => {
    const user = account();
    const rec = contractRecording(user);
    rec.sockets[0]!.frames[0]!.text = JSON.stringify({ type: 'connection_established', user_id: 'demo-user-001' });
    expect(learnFromRecording(rec).findings).toContainEqual({
      stage: 'security',
      what: `the welcome names user demo-user-001, but the page signed in as user ${user.userId}`,
    });
  });
});
