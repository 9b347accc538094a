import { test, expect } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { awaitWelcome, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';

/** A WebSocket server on a free port that greets every connection with `greet`. */
async function serverGreetingWith(greet: (socket: import('ws').WebSocket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', greet);
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const token = 'header.payload.signature';

test.describe('the welcome frame, read with the target profile', () => {
  const cases: Array<{ title: string; first: object; profile: Partial<ProtocolProfile>; error?: RegExp }> = [
    { title: 'connection_established, the contract default', first: { type: 'connection_established', user_id: 'u1' }, profile: {} },
    { title: 'connection_ready, also a default welcome', first: { type: 'connection_ready', user_id: 'u1' }, profile: {} },
    { title: 'a welcome named in WS_WELCOME_TYPES', first: { type: 'hello', user_id: 'u1' }, profile: { welcomeTypes: ['hello'] } },
    {
      title: 'a first frame that is no configured welcome',
      first: { type: 'hello', user_id: 'u1' },
      profile: {},
      error:
        /^the first frame was hello, not a welcome \(connection_established or connection_ready\): if that is this service's welcome, add it to WS_WELCOME_TYPES; if it opens a handshake the service asks for, set HANDSHAKE_FRAME and HANDSHAKE_REPLY$/,
    },
    {
      title: 'a welcome typed under another key than WS_TYPE_KEY',
      first: { event: 'connection_established', userId: 'u1' },
      profile: {},
      error: /^the first frame has no type at WS_TYPE_KEY=type \(its fields: event, userId\): set WS_TYPE_KEY to the field that holds a frame's type$/,
    },
    { title: 'a welcome typed under WS_TYPE_KEY=event', first: { event: 'connection_established', user_id: 'u1' }, profile: { typeKey: 'event' } },
    {
      title: 'a handshake frame before the welcome, under HANDSHAKE_FRAME',
      first: { type: 'handshake_response', thread_id: 't1' },
      profile: { handshake: { frame: 'handshake_response', reply: '{"type":"ack","thread_id":"{{handshake.thread_id}}"}', done: undefined } },
      error: /the welcome frame/,
    },
    {
      title: 'a payload-wrapped welcome under WS_ENVELOPE=payload',
      first: { type: 'connection_established', payload: { user_id: 'u1' } },
      profile: { envelope: 'payload' },
    },
    {
      title: 'a payload-wrapped welcome under WS_ENVELOPE=root',
      first: { type: 'connection_established', payload: { user_id: 'u1' } },
      profile: { envelope: 'root' },
      error: /^the welcome frame came in the payload form, but WS_ENVELOPE=root: set WS_ENVELOPE=payload, or auto$/,
    },
  ];

  for (const { title, first, profile, error } of cases) {
    test(`${title} ${error ? 'is refused with the setting to change' : 'is accepted'}`, async () => {
      const server = await serverGreetingWith((socket) => socket.send(JSON.stringify(first)));
      const full = { ...CONTRACT_PROTOCOL, ...profile };
      const socket = RecordingSocket.connect(server.url, { transport: 'header', token }, { protocol: full });
      try {
        const welcome = awaitWelcome(socket, 2000, full);
        if (error) await expect(welcome).rejects.toThrow(error);
        else await expect(welcome).resolves.toMatchObject({ user_id: 'u1' });
      } finally {
        socket.close();
        await server.close();
      }
    });
  }

  test('a socket the service closes with 1008 names WS_AUTH as the setting to change', async () => {
    const server = await serverGreetingWith((socket) => socket.close(1008, 'this service accepts only: ticket'));
    const factory = { transport: 'header', open: async () => RecordingSocket.connect(server.url, { transport: 'header', token }) };
    try {
      await expect(openWelcomed(factory, { userId: 'u1', accessToken: token }, 2000)).rejects.toThrow(
        "the service refused the harness's socket with WS_AUTH=header (close 1008 \"this service accepts only: ticket\"): if the user's token is good, the service does not take it this way: set WS_AUTH to a transport it accepts (subprotocol, header, query or ticket), and leave it out of WS_AUTH_ACCEPTED if the refusal is meant; or the credential's shape differs: WS_SUBPROTOCOLS, WS_QUERY, WS_HEADERS",
      );
    } finally {
      await server.close();
    }
  });

  test('an error frame before the 1008 close is part of the refusal: the message still names the transport settings', async () => {
    const server = await serverGreetingWith((socket) => {
      socket.send(JSON.stringify({ type: 'error', error: 'environment_mismatch: expected env staging' }));
      setTimeout(() => socket.close(1008, 'environment_mismatch'), 50);
    });
    const factory = { transport: 'subprotocol', open: async () => RecordingSocket.connect(server.url, { transport: 'subprotocol', token }) };
    try {
      await expect(openWelcomed(factory, { userId: 'u1', accessToken: token }, 2000)).rejects.toThrow(
        /close 1008 "environment_mismatch".*WS_SUBPROTOCOLS, WS_QUERY, WS_HEADERS$/,
      );
    } finally {
      await server.close();
    }
  });
});
