import { test, expect } from '../../fixtures/index.ts';
import { passwordLogin } from '../../support/client/http.ts';
import { fetchTicket, requestTicket } from '../../support/client/session.ts';
import { INVALID_TOKEN_DESCRIPTIONS, INVALID_TOKEN_KINDS, TokenMinter } from '../../support/client/tokens.ts';
import { credentialFor } from '../../support/ws/credential.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';

const POLICY_VIOLATION = 1008;

test.describe('websocket authentication', () => {
  for (const transport of ['subprotocol', 'header', 'query', 'ticket'] as const) {
    test(`the ${transport} transport opens a socket welcomed for this user`, async ({ referenceService, createUser }) => {
      const user = await createUser();
      const { access_token } = await passwordLogin(referenceService.baseUrl, user);
      const credential = await credentialFor(referenceService.baseUrl, transport, access_token);

      const socket = RecordingSocket.connect(referenceService.wsUrl, credential);
      const welcome = await socket.waitForType('connection_established');
      expect(welcome).toEqual({
        type: 'connection_established',
        connection_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: user.id,
        timestamp: expect.any(String),
      });
      expect(socket.protocol).toBe(transport === 'subprotocol' ? 'jwt-auth' : '');
      socket.close();
    });
  }

  test('the /api/v1/websocket alias serves the same endpoint', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const { access_token } = await passwordLogin(referenceService.baseUrl, user);
    const socket = RecordingSocket.connect(`${referenceService.baseUrl.replace('http', 'ws')}/api/v1/websocket`, { transport: 'header', token: access_token });
    await expect(socket.waitForType('connection_established')).resolves.toMatchObject({ user_id: user.id });
    socket.close();
  });

  for (const kind of INVALID_TOKEN_KINDS) {
    test(`${INVALID_TOKEN_DESCRIPTIONS[kind]} is closed with 1008 before any event`, async ({ referenceService, createUser }) => {
      const user = await createUser();
      const token = await new TokenMinter(referenceService.jwtSecret).mint(kind, user);
      const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'subprotocol', token });
      const closed = await socket.closed;
      expect(closed.code).toBe(POLICY_VIOLATION);
      expect(closed.reason).toMatch(/^(invalid_token|token_expired): /);
      expect(socket.frames).toEqual([]);
    });
  }

  test('a socket without any credential is closed with 1008', async ({ referenceService }) => {
    const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'none' });
    expect(await socket.closed).toMatchObject({ code: POLICY_VIOLATION, reason: expect.stringMatching(/^missing_credentials/) });
    expect(socket.frames).toEqual([]);
  });

  test('a ticket opens one socket only', async ({ referenceService, createUser }) => {
    const user = await createUser();
    const { access_token } = await passwordLogin(referenceService.baseUrl, user);
    const ticket = await fetchTicket(referenceService.baseUrl, access_token);

    const first = RecordingSocket.connect(referenceService.wsUrl, { transport: 'ticket', ticket });
    await first.waitForType('connection_established');
    const second = RecordingSocket.connect(referenceService.wsUrl, { transport: 'ticket', ticket });
    expect(await second.closed).toMatchObject({ code: POLICY_VIOLATION, reason: expect.stringMatching(/^invalid_ticket/) });
    expect(second.frames).toEqual([]);
    first.close();
  });

  test('the ticket endpoint requires an access token and names the socket URL', async ({ referenceService, createUser }) => {
    expect((await requestTicket(referenceService.baseUrl)).status).toBe(401);
    const { access_token } = await passwordLogin(referenceService.baseUrl, await createUser());
    const response = await requestTicket(referenceService.baseUrl, access_token);
    expect(response.body).toEqual({ ticket: expect.stringMatching(/^[\w-]{43}$/), expires_in: 30, websocket_url: referenceService.wsUrl });
  });
});

test.describe('websocket origin and frames', () => {
  test('a foreign Origin is refused with 403 at the upgrade', async ({ referenceService, createUser }) => {
    const { access_token } = await passwordLogin(referenceService.baseUrl, await createUser());
    const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'header', token: access_token }, { origin: 'https://evil.example' });
    expect(await socket.refused).toMatchObject({ status: 403, body: expect.stringContaining('origin_not_allowed') });
  });

  test("the service's own Origin and configured origins are accepted", async ({ referenceService, launchService, createUser }) => {
    const { access_token } = await passwordLogin(referenceService.baseUrl, await createUser());
    const own = RecordingSocket.connect(referenceService.wsUrl, { transport: 'header', token: access_token }, { origin: referenceService.baseUrl });
    await own.waitForType('connection_established');
    own.close();

    const configured = await launchService({ jwtSecret: referenceService.jwtSecret, env: { ALLOWED_ORIGINS: 'https://app.example' } });
    const partner = RecordingSocket.connect(configured.wsUrl, { transport: 'header', token: access_token }, { origin: 'https://app.example' });
    await partner.waitForType('connection_established');
    partner.close();
  });

  test('a frame over 64 KiB closes the socket with 1009', async ({ referenceService, createUser }) => {
    const { access_token } = await passwordLogin(referenceService.baseUrl, await createUser());
    const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'header', token: access_token });
    await socket.waitForType('connection_established');
    socket.send({ type: 'user_message', text: 'x'.repeat(64 * 1024) });
    expect((await socket.closed).code).toBe(1009);
  });

  test('ping is answered with pong, and a malformed frame with an error frame', async ({ referenceService, createUser }) => {
    const { access_token } = await passwordLogin(referenceService.baseUrl, await createUser());
    const socket = RecordingSocket.connect(referenceService.wsUrl, { transport: 'header', token: access_token });
    await socket.waitForType('connection_established');
    socket.send({ type: 'ping' });
    await socket.waitForType('pong');
    socket.sendRaw('{not json');
    socket.send({ type: 'user_message', text: '' });
    await expect
      .poll(() => socket.frames.filter(({ frame }) => frame.type === 'error').map(({ frame }) => [frame.code, frame.message]))
      .toEqual([
        ['invalid_message', 'the frame is not JSON'],
        ['invalid_message', expect.stringMatching(/^text: /)],
      ]);
    socket.close();
  });
});
