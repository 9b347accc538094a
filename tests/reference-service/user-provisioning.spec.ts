import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { test as base, expect } from '../../fixtures/index.ts';
import { passwordLogin, requestJson } from '../../support/client/http.ts';
import type { RunningReferenceService } from '../../support/stack/reference-service-process.ts';
import { TokenMinter, type TokenSubject } from '../../support/client/tokens.ts';
import { completeRun } from '../../support/ws/chat-session.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';

const POLICY_VIOLATION = 1008;
const EMAIL_TAKEN = "the token's email belongs to another user";

const test = base.extend<{ provisioningService: RunningReferenceService }>({
  provisioningService: async ({ launchService }, use) => {
    await use(await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } }));
  },
});

/** Someone an identity provider vouches for, whom the service has never seen: as the load tool's synthetic users. */
function newIdentity(): TokenSubject {
  const id = randomUUID();
  return { id, email: `idp-${id}@identity-provider.test` };
}

function mintAccessToken(service: RunningReferenceService, subject: TokenSubject): Promise<string> {
  return new TokenMinter(service.jwtSecret).mint('valid', subject);
}

async function usersWithId(database: pg.Pool, id: string) {
  const { rows } = await database.query('SELECT id, email FROM users WHERE id = $1', [id]);
  return rows;
}

/** The welcome frame, or at once the service's answer if it refused the upgrade with an HTTP status. */
function welcome(socket: RecordingSocket) {
  return Promise.race([
    socket.waitForType('connection_established'),
    socket.refused.then(({ status, body }) => Promise.reject(new Error(`the upgrade was refused: ${status} ${body}`))),
  ]);
}

function configLines(service: RunningReferenceService) {
  return service
    .log()
    .split('\n')
    .filter((line) => line.includes('"phase":"config"'))
    .map((line) => JSON.parse(line));
}

test.describe('PROVISION_USERS_FROM_TOKENS=true', () => {
  test('a token for a never-seen user opens a socket, completes a run stored under that user, and leaves a users row', async ({
    provisioningService,
    database,
  }) => {
    const identity = newIdentity();
    expect(await usersWithId(database, identity.id)).toEqual([]);

    const socket = await test.step('the minted token opens a socket welcomed for the new user', async () => {
      const opened = RecordingSocket.connect(provisioningService.wsUrl, {
        transport: 'subprotocol',
        token: await mintAccessToken(provisioningService, identity),
      });
      await expect(welcome(opened)).resolves.toMatchObject({ user_id: identity.id });
      return opened;
    });

    const frames = await test.step('a run completes with the right answer', async () => {
      const run = await completeRun(socket, 'What is 48213 * 7?');
      expect(run.at(-1)).toMatchObject({ type: 'agent_completed', final_response: '48213 * 7 = 337491', user_id: identity.id });
      return run;
    });

    await test.step('the messages and the user are stored', async () => {
      const { rows } = await database.query('SELECT user_id, role, content FROM messages WHERE run_id = $1 ORDER BY id', [frames[0]!.run_id]);
      expect(rows).toEqual([
        { user_id: identity.id, role: 'user', content: 'What is 48213 * 7?' },
        { user_id: identity.id, role: 'assistant', content: '48213 * 7 = 337491' },
      ]);
      expect(await usersWithId(database, identity.id)).toEqual([{ id: identity.id, email: identity.email }]);
    });

    socket.close();
  });

  test('two sockets of the same new user opened at once are both welcomed and both run prompts', async ({ provisioningService, database }) => {
    const identity = newIdentity();
    const factors = [11, 12];
    const tokens = await Promise.all(factors.map(() => mintAccessToken(provisioningService, identity)));

    const sockets = await test.step('both sockets race to create the user, in statements of their own', async () => {
      // An uncommitted row with the new user's id: each socket's insert waits on it, so both inserts run
      // at its rollback, after both sockets found no user. Without it they would rarely overlap. The
      // sockets open one after the other, each once the one before is waiting: sockets that open together
      // are provisioned by one statement (see the many-users test), and here each needs its own.
      const holder = await database.connect();
      try {
        await holder.query('BEGIN');
        await holder.query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'held by the test')", [identity.id, identity.email]);
        const { rows } = await holder.query('SELECT pg_backend_pid() AS pid');
        const waiting = async () =>
          (await database.query('SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [rows[0].pid])).rows[0].waiting;
        const opened: RecordingSocket[] = [];
        for (const token of tokens) {
          opened.push(RecordingSocket.connect(provisioningService.wsUrl, { transport: 'subprotocol', token }));
          await expect.poll(waiting, { message: `socket ${opened.length} waiting to insert the user` }).toBe(opened.length);
        }
        return opened;
      } finally {
        await holder.query('ROLLBACK');
        holder.release();
      }
    });

    await test.step('both are welcomed for the user, and both run a prompt', async () => {
      for (const socket of sockets) await expect(welcome(socket)).resolves.toMatchObject({ user_id: identity.id });
      const answers = await Promise.all(
        sockets.map(async (socket, index) => {
          const factor = factors[index]!;
          const answer = `${factor} * 1000 = ${factor * 1000}`;
          socket.send({ type: 'user_message', text: `What is ${factor} * 1000?` });
          return (await socket.waitFor((frame) => frame.type === 'agent_completed' && frame.final_response === answer, `the answer "${answer}"`))
            .final_response;
        }),
      );
      expect(answers).toEqual(['11 * 1000 = 11000', '12 * 1000 = 12000']);
      expect(await usersWithId(database, identity.id)).toEqual([{ id: identity.id, email: identity.email }]);
    });

    for (const socket of sockets) socket.close();
  });

  test('a token whose email belongs to another user is refused, over HTTP and on the socket, and takes nothing over', async ({
    provisioningService,
    createUser,
    database,
  }) => {
    const owner = await createUser();
    const impostor = { id: randomUUID(), email: owner.email };

    await test.step('HTTP answers 401 with the reason, whatever the case of the email', async () => {
      for (const email of [owner.email, owner.email.toUpperCase()]) {
        const response = await requestJson('GET', `${provisioningService.baseUrl}/auth/me`, {
          token: await mintAccessToken(provisioningService, { ...impostor, email }),
        });
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ code: 'invalid_token', message: EMAIL_TAKEN });
      }
    });

    await test.step('the socket is closed with 1008 and the reason, before any frame', async () => {
      const socket = RecordingSocket.connect(provisioningService.wsUrl, {
        transport: 'subprotocol',
        token: await mintAccessToken(provisioningService, impostor),
      });
      expect(await socket.closed).toMatchObject({ code: POLICY_VIOLATION, reason: `invalid_token: ${EMAIL_TAKEN}` });
      expect(socket.frames).toEqual([]);
    });

    await test.step('the owner keeps the email and the password', async () => {
      expect(await usersWithId(database, impostor.id)).toEqual([]);
      expect((await passwordLogin(provisioningService.baseUrl, owner)).user).toEqual({ id: owner.id, email: owner.email });
    });
  });

  test('many new users at once are all provisioned, and an impostor among them is refused alone', async ({ provisioningService, createUser, database }) => {
    // Requests that arrive together are provisioned by one statement: one user's conflict must fail that user only.
    const owner = await createUser();
    const newcomers = Array.from({ length: 30 }, newIdentity);
    const upperCaseSub = newIdentity();
    const impostor = { id: randomUUID(), email: owner.email };
    // The first newcomer twice: the same new user in one statement is one row, and both requests pass.
    const subjects = [...newcomers, newcomers[0]!, { ...upperCaseSub, id: upperCaseSub.id.toUpperCase() }, impostor];
    const tokens = await Promise.all(subjects.map((subject) => mintAccessToken(provisioningService, subject)));

    const statuses = await Promise.all(tokens.map(async (token) => (await requestJson('GET', `${provisioningService.baseUrl}/auth/me`, { token })).status));

    expect(statuses).toEqual([...newcomers.map(() => 200), 200, 200, 401]);
    const ids = [...newcomers, upperCaseSub].map(({ id }) => id);
    const { rows } = await database.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows.map(({ id }) => id).sort()).toEqual([...ids].sort());
    expect(await usersWithId(database, impostor.id)).toEqual([]);
  });

  test('a token whose "sub" is not a UUID is refused with the reason', async ({ provisioningService }) => {
    const response = await requestJson('GET', `${provisioningService.baseUrl}/auth/me`, {
      token: await mintAccessToken(provisioningService, { id: 'user-42', email: `idp-${randomUUID()}@identity-provider.test` }),
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 'invalid_token', message: 'the token\'s "sub" is not a UUID, so no user can be provisioned for it' });
  });

  test('a provisioned user cannot log in with any password', async ({ provisioningService, database }) => {
    const identity = newIdentity();
    const me = await requestJson('GET', `${provisioningService.baseUrl}/auth/me`, { token: await mintAccessToken(provisioningService, identity) });
    expect(me).toMatchObject({ status: 200, body: { id: identity.id, email: identity.email } });
    expect(await usersWithId(database, identity.id)).toEqual([{ id: identity.id, email: identity.email }]);

    for (const password of [randomBytes(12).toString('base64url'), identity.email, identity.id, 'password']) {
      const response = await requestJson('POST', `${provisioningService.baseUrl}/auth/login`, { body: { email: identity.email, password } });
      expect(response.status, `login with the password "${password}"`).toBe(401);
      expect(response.body).toEqual({ code: 'invalid_credentials', message: 'the email or password is wrong' });
    }
  });

  test('the startup config line says whether provisioning is on', async ({ provisioningService, referenceService }) => {
    expect(configLines(provisioningService)).toEqual([expect.objectContaining({ provision_users_from_tokens: true })]);
    expect(configLines(referenceService)).toEqual([expect.objectContaining({ provision_users_from_tokens: false })]);
  });
});

test.describe('PROVISION_USERS_FROM_TOKENS off (the default)', () => {
  test('a token for a never-seen user opens a socket, but its run fails for want of a users row', async ({ referenceService, database }) => {
    const identity = newIdentity();
    const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'subprotocol', token: await mintAccessToken(referenceService, identity) });
    await expect(welcome(socket)).resolves.toMatchObject({ user_id: identity.id });

    socket.send({ type: 'user_message', text: 'What is 48213 * 7?' });
    const error = await socket.waitForType('error');
    expect(error).toMatchObject({ code: 'run_failed', message: expect.stringMatching(/foreign key constraint "threads_user_id_fkey"/), user_id: identity.id });
    expect(socket.types()).toEqual(['connection_established', 'error']);
    expect(await usersWithId(database, identity.id)).toEqual([]);
    socket.close();
  });
});
