import { test, expect } from '@playwright/test';
import { WebSocketServer, type WebSocket } from 'ws';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitWelcome } from '../../support/golden-path/run-observer.ts';
import { sendTurn } from '../../support/golden-path/turn.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';

const PROFILE: ProtocolProfile = {
  ...CONTRACT_PROTOCOL,
  handshake: {
    frame: 'handshake_response',
    reply: '{"type":"handshake_acknowledged","thread_id":"{{handshake.thread_id}}"}',
    done: 'handshake_complete',
  },
  startMessage: '{"type":"user_message","payload":{"content":"{{text}}","thread_id":"{{handshake.thread_id}}"}}',
};

/** A service that opens a handshake before its welcome and answers the reply as `answer` says; it records what it received. */
async function handshakingServer(answer: (reply: Record<string, unknown>) => Record<string, unknown>) {
  const received: Record<string, unknown>[] = [];
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket: WebSocket) => {
    socket.send(JSON.stringify({ type: 'handshake_response', thread_id: 'thread-from-server', session_token: 'session-secret-value' }));
    socket.send(JSON.stringify({ type: 'connection_established', user_id: 'u1' }));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      received.push(frame);
      if (frame.type === 'handshake_acknowledged') socket.send(JSON.stringify(answer(frame)));
    });
  });
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test.describe('the handshake (HANDSHAKE_FRAME, HANDSHAKE_REPLY, HANDSHAKE_DONE)', () => {
  test('its opening frame may come before the welcome; the reply carries its values; a turn names the thread it handed out', async () => {
    const server = await handshakingServer((reply) => ({ type: 'handshake_complete', thread_id: reply.thread_id }));
    const socket = RecordingSocket.connect(server.url, { transport: 'none' }, { protocol: PROFILE });
    try {
      expect((await awaitWelcome(socket, 2000, PROFILE)).type).toBe('connection_established');
      expect(socket.handshake?.thread_id).toBe('thread-from-server');

      const prompt = goldenPrompt(undefined);
      const turn = sendTurn(socket, prompt, 'u1', PROFILE);
      await expect.poll(() => server.received.length).toBe(2);
      expect(server.received).toEqual([
        { type: 'handshake_acknowledged', thread_id: 'thread-from-server' },
        { type: 'user_message', payload: { content: prompt.prompt, thread_id: 'thread-from-server' } },
      ]);
      expect(turn.threadId).toBe('thread-from-server');
    } finally {
      socket.close();
      await server.close();
    }
  });

  test('an error in answer to the reply fails naming HANDSHAKE_REPLY', async () => {
    const server = await handshakingServer(() => ({ type: 'error', error: 'thread_mismatch' }));
    const socket = RecordingSocket.connect(server.url, { transport: 'none' }, { protocol: PROFILE });
    try {
      await expect(awaitWelcome(socket, 2000, PROFILE)).rejects.toThrow(
        "the service answered the handshake's reply with an error (thread_mismatch): correct HANDSHAKE_REPLY",
      );
      expect(socket.handshake).toBeUndefined();
    } finally {
      socket.close();
      await server.close();
    }
  });
});
