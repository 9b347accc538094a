import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Faults } from '../faults.ts';
import type { ClientFrame } from './client-frames.ts';
import type { Connection, ConnectionRegistry } from './connections.ts';
import { SocketHandshake, type WsHandshake } from './handshake.ts';
import { startHeartbeat } from './heartbeat.ts';
import type { EncodeFrame, WelcomeType } from './server-frames.ts';

const KEEPALIVE_INTERVAL_MS = 30_000;

export interface UserMessage {
  connection: Connection;
  text: string;
  threadId: string | undefined;
}

export interface ConnectionDeps {
  registry: ConnectionRegistry;
  faults: Faults;
  welcomeType: WelcomeType;
  encodeFrame: EncodeFrame;
  readClientFrame: (raw: string | undefined) => ClientFrame;
  /** HEARTBEAT_MS: heartbeat frames on top of the WebSocket pings; 0 sends none. */
  heartbeatMs: number;
  handshake: WsHandshake;
  log: Logger;
  onUserMessage: (message: UserMessage) => void;
}

/** An authenticated socket: registered for fan-out, kept alive by pings, welcomed (and handshaken), and read frame by frame. */
export function openConnection(socket: WebSocket, userId: string, deps: ConnectionDeps): void {
  const { registry, faults, encodeFrame, log } = deps;
  const connection: Connection = { id: randomUUID(), userId, socket };
  const handshake = deps.handshake === 'off' ? undefined : new SocketHandshake();
  registry.add(connection);
  let alive = true;
  socket.on('pong', () => (alive = true));
  const keepalive = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, KEEPALIVE_INTERVAL_MS);
  const stopHeartbeat = startHeartbeat(connection, { intervalMs: deps.heartbeatMs, registry, encodeFrame });
  socket.on('close', () => {
    clearInterval(keepalive);
    stopHeartbeat();
    registry.remove(connection);
  });
  socket.on('error', (error) => log.warn({ err: error, connection_id: connection.id }, 'websocket error'));
  socket.on('message', (data, isBinary) => {
    const frame = deps.readClientFrame(isBinary ? undefined : data.toString());
    if (frame.type === 'ping') return socket.send(encodeFrame({ type: 'pong' }));
    if (frame.type === 'invalid') {
      if (frame.notJson && faults.has('crash_on_bad_frame')) {
        // An unguarded JSON.parse in a message handler: the uncaught error ends the process.
        process.nextTick(() => {
          throw new Error('crash_on_bad_frame: a frame that is not JSON reached an unguarded parser');
        });
        return;
      }
      return socket.send(encodeFrame({ type: 'error', code: 'invalid_message', message: frame.problem }));
    }
    // The parser reads handshake_acknowledged only under WS_HANDSHAKE, when `handshake` is set.
    if (frame.type === 'handshake_acknowledged') {
      if (handshake) socket.send(encodeFrame(handshake.acknowledge(frame.threadId)));
      return;
    }
    if (!handshake) return deps.onUserMessage({ connection, text: frame.text, threadId: frame.threadId });
    const admission = handshake.admit(frame.threadId, faults.has('accept_foreign_thread'));
    if (!admission.ok) return socket.send(encodeFrame(admission.refusal));
    deps.onUserMessage({ connection, text: frame.text, threadId: admission.threadId });
  });
  // welcome_wrong_user: the real product's welcome named the user cut to eight characters.
  const welcomedAs = faults.has('welcome_wrong_user') ? `${userId.slice(0, 8)}...` : userId;
  const welcome = () => socket.send(encodeFrame({ type: deps.welcomeType, connection_id: connection.id, user_id: welcomedAs }));
  if (!handshake) return welcome();
  if (deps.handshake === 'after-welcome') welcome();
  socket.send(encodeFrame(handshake.response()));
  if (deps.handshake === 'before-welcome') welcome();
}
