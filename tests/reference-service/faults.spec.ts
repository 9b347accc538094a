import { test, expect, type SeededUser } from '../../fixtures/index.ts';
import { passwordLogin, requestJson } from '../../support/client/http.ts';
import { TokenMinter } from '../../support/client/tokens.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';
import { completeRun, openSocketAs, startRun } from '../../support/ws/chat-session.ts';
import { runReferenceServiceUntilExit, type RunningReferenceService } from '../../support/stack/reference-service-process.ts';
import type pg from 'pg';

const PROMPT = 'What is 48213 * 7?';

interface FaultCase {
  fault: string;
  check(context: { service: RunningReferenceService; createUser: () => Promise<SeededUser>; database: pg.Pool }): Promise<void>;
}

async function acceptsToken(service: RunningReferenceService, user: SeededUser, kind: 'expired' | 'alg_none' | 'wrong_audience') {
  const token = await new TokenMinter(service.jwtSecret).mint(kind, user);
  expect((await requestJson('GET', `${service.baseUrl}/auth/me`, { token })).status).toBe(200);
  const socket = RecordingSocket.connect(service.wsUrl, { transport: 'subprotocol', token });
  await expect(socket.waitForType('connection_established')).resolves.toMatchObject({ user_id: user.id });
  socket.close();
}

/** One row per fault switch: start an instance with it, and observe the failure it reproduces. */
const FAULT_CASES: FaultCase[] = [
  {
    fault: 'db_timeout',
    async check({ service, createUser }) {
      const ready = await requestJson('GET', `${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: expect.stringMatching(/did not answer in time/), redis: 'ok' } });
      const user = await createUser();
      const response = await requestJson('POST', `${service.baseUrl}/auth/login`, { body: { email: user.email, password: user.password } });
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('database_timeout');
    },
  },
  {
    fault: 'login_503:400',
    async check({ service, createUser }) {
      const user = await createUser();
      const response = await requestJson('POST', `${service.baseUrl}/auth/login`, { body: { email: user.email, password: user.password } });
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('service_unavailable');
      expect(response.elapsedMs).toBeGreaterThanOrEqual(400);
    },
  },
  {
    fault: 'ws_close_1011',
    async check({ service, createUser }) {
      const socket = await openSocketAs(service, await createUser());
      const runId = await startRun(socket, PROMPT);
      expect((await socket.closed).code).toBe(1011);
      expect(socket.framesOfRun(runId).map((frame) => frame.type)).not.toContain('agent_completed');
    },
  },
  {
    fault: 'drop_event',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.map((frame) => frame.type)).toEqual(['agent_started', 'agent_thinking', 'tool_executing', 'agent_thinking', 'agent_completed']);
    },
  },
  {
    fault: 'drop_event:agent_started',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.map((frame) => frame.type)).not.toContain('agent_started');
    },
  },
  {
    fault: 'reorder_events',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.slice(0, 2).map((frame) => frame.type)).toEqual(['agent_thinking', 'agent_started']);
    },
  },
  {
    fault: 'duplicate_event',
    async check({ service, createUser }) {
      const socket = await openSocketAs(service, await createUser());
      const runId = (await completeRun(socket, PROMPT))[0]!.run_id;
      await expect.poll(() => socket.framesOfRun(runId).filter((frame) => frame.type === 'agent_completed').length).toBe(2);
    },
  },
  {
    fault: 'fallback_answer',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.map((frame) => frame.type)).toContain('tool_completed');
      expect(frames.at(-1)!.final_response).not.toContain('337491');
      expect(frames.at(-1)!.final_response).toMatch(/42/);
    },
  },
  {
    fault: 'wrong_answer',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.at(-1)!.final_response).toBe('48213 * 7 = 337492');
    },
  },
  {
    fault: 'cross_user_fanout',
    async check({ service, createUser }) {
      const [user, bystander] = [await createUser(), await createUser()];
      const socket = await openSocketAs(service, user);
      const bystanderSocket = await openSocketAs(service, bystander);
      const runId = (await completeRun(socket, PROMPT))[0]!.run_id;
      await expect.poll(() => bystanderSocket.framesOfRun(runId).map((frame) => frame.user_id)).toContain(user.id);
    },
  },
  { fault: 'accept_expired_token', check: async ({ service, createUser }) => acceptsToken(service, await createUser(), 'expired') },
  { fault: 'accept_alg_none', check: async ({ service, createUser }) => acceptsToken(service, await createUser(), 'alg_none') },
  { fault: 'accept_wrong_audience', check: async ({ service, createUser }) => acceptsToken(service, await createUser(), 'wrong_audience') },
  {
    fault: 'accept_foreign_origin',
    async check({ service, createUser }) {
      const { access_token } = await passwordLogin(service.baseUrl, await createUser());
      const socket = RecordingSocket.connect(service.wsUrl, { transport: 'header', token: access_token }, { origin: 'https://evil.example' });
      await expect(socket.waitForType('connection_established')).resolves.toBeTruthy();
      socket.close();
    },
  },
  {
    fault: 'accept_no_credential:/api/v1/websocket',
    async check({ service }) {
      const alias = RecordingSocket.connect(new URL('/api/v1/websocket', service.wsUrl).href, { transport: 'none' });
      await expect(alias.waitForType('connection_established')).resolves.toMatchObject({ user_id: 'demo-user-001' });
      alias.close();
      const main = RecordingSocket.connect(new URL('/ws', service.wsUrl).href, { transport: 'none' });
      expect((await main.closed).code).toBe(1008);
    },
  },
  {
    fault: 'relaxed_bad_token',
    async check({ service, createUser }) {
      const token = await new TokenMinter(service.jwtSecret).mint('wrong_signature', await createUser());
      const socket = RecordingSocket.connect(service.wsUrl, { transport: 'subprotocol', token });
      await expect(socket.waitForType('connection_established')).resolves.toMatchObject({ user_id: 'relaxed-user' });
      socket.close();
    },
  },
  {
    fault: 'welcome_wrong_user',
    async check({ service, createUser }) {
      const user = await createUser();
      const { access_token } = await passwordLogin(service.baseUrl, user);
      const socket = RecordingSocket.connect(service.wsUrl, { transport: 'header', token: access_token });
      await expect(socket.waitForType('connection_established')).resolves.toMatchObject({ user_id: `${user.id.slice(0, 8)}...` });
      socket.close();
    },
  },
  {
    fault: 'accept_foreign_thread',
    async check({ service, createUser }) {
      const [owner, intruder] = [await openSocketAs(service, await createUser()), await openSocketAs(service, await createUser())];
      const threadId = (await completeRun(owner, PROMPT))[0]!.thread_id as string;
      const frames = await completeRun(intruder, 'What is 2 * 3?', threadId);
      expect(frames.map((frame) => frame.thread_id)).toEqual(frames.map(() => threadId));
    },
  },
  {
    fault: 'logout_keeps_refresh_token',
    async check({ service, createUser }) {
      const { access_token, refresh_token } = await passwordLogin(service.baseUrl, await createUser());
      expect((await requestJson('POST', `${service.baseUrl}/auth/logout`, { token: access_token, body: { refresh_token } })).status).toBe(204);
      expect((await requestJson('POST', `${service.baseUrl}/auth/refresh`, { body: { refresh_token } })).status).toBe(200);
    },
  },
  {
    fault: 'tool_before_thinking',
    async check({ service, createUser }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      expect(frames.map((frame) => frame.type)).toEqual([
        'agent_started',
        'tool_executing',
        'agent_thinking',
        'tool_completed',
        'agent_thinking',
        'agent_completed',
      ]);
    },
  },
  {
    fault: 'crash_on_bad_frame',
    async check({ service, createUser }) {
      const socket = await openSocketAs(service, await createUser());
      socket.send('{"type": ');
      expect((await socket.closed).code).toBe(1006);
      await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
    },
  },
  {
    fault: 'slow_agent:1500',
    async check({ service, createUser }) {
      const socket = await openSocketAs(service, await createUser());
      const runId = await startRun(socket, PROMPT);
      await socket.waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, 'a late agent_completed', 10_000);
      const arrival = (type: string) => socket.frames.find(({ frame }) => frame.run_id === runId && frame.type === type)!.at;
      expect(arrival('agent_completed') - arrival('tool_completed')).toBeGreaterThanOrEqual(1400);
    },
  },
  {
    fault: 'ui_no_render',
    async check({ service }) {
      const page = await fetch(`${service.baseUrl}/`).then((response) => response.text());
      expect(page).toContain('"renderAnswer":false');
    },
  },
  {
    fault: 'answer_not_persisted',
    async check({ service, createUser, database }) {
      const frames = await completeRun(await openSocketAs(service, await createUser()), PROMPT);
      const { rows } = await database.query('SELECT role FROM messages WHERE run_id = $1', [frames[0]!.run_id]);
      expect(rows).toEqual([{ role: 'user' }]);
    },
  },
];

test.describe('fault switches', () => {
  for (const { fault, check } of FAULT_CASES) {
    test(`${fault} reproduces its failure`, async ({ launchService, createUser, database }) => {
      const service = await launchService({ faults: [fault] });
      await check({ service, createUser, database });
    });
  }

  test('startup_dependency_missing exits with code 3 and one line naming the module', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, faults: ['startup_dependency_missing'] });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/startup failed in phase 'modules'.*monitoring/)]);
  });

  test('fault switches are refused outside test mode', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, faults: ['slow_agent'], env: { TEST_MODE: 'false' } });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr).toMatch(/FAULTS is set \(slow_agent\) but TEST_MODE is not 'true'/);
  });

  test('an unknown fault name is refused with the list of known ones', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, faults: ['slow_agnet'] });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr).toMatch(/unknown fault\(s\) 'slow_agnet'.*use any of: .*slow_agent/);
  });
});

test.describe('startup', () => {
  test('missing settings are all named in one line, with exit code 3', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, env: { DATABASE_URL: '', REDIS_URL: '', JWT_SECRET: 'short' } });
    expect(exit.exitCode).toBe(3);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/phase 'config': DATABASE_URL is not set; REDIS_URL is not set; JWT_SECRET must be at least 32 characters/);
  });

  test('an unreachable database fails the database phase fast, without leaking the password', async ({ containers }) => {
    const started = Date.now();
    const exit = await runReferenceServiceUntilExit({ ...containers, databaseUrl: 'postgres://app:s3cret-pw@127.0.0.1:1/app' });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr).toMatch(/phase 'database': cannot use Postgres at 127\.0\.0\.1:1\/app/);
    expect(exit.log).not.toContain('s3cret-pw');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  test('an unreachable Redis fails the redis phase', async ({ containers }) => {
    const exit = await runReferenceServiceUntilExit({ ...containers, redisUrl: 'redis://127.0.0.1:1' });
    expect(exit.exitCode).toBe(3);
    expect(exit.stderr).toMatch(/phase 'redis': cannot reach Redis at 127\.0\.0\.1:1/);
  });
});
