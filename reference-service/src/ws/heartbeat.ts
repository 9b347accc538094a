import { WebSocket } from 'ws';
import type { Connection, ConnectionRegistry } from './connections.ts';
import type { EncodeFrame } from './server-frames.ts';

export interface HeartbeatDeps {
  /** HEARTBEAT_MS; 0 sends none. */
  intervalMs: number;
  registry: ConnectionRegistry;
  encodeFrame: EncodeFrame;
}

/**
 * The application-level heartbeat real services send beside WebSocket pings:
 * `{"type":"heartbeat","connection_id","timestamp","stats":{"open_connections":n}}`. It names the
 * connection, never a user or a run, so a client that takes every frame for an event is caught out.
 * Returns the function that stops it.
 */
export function startHeartbeat(connection: Connection, deps: HeartbeatDeps): () => void {
  if (deps.intervalMs === 0) return () => {};
  const timer = setInterval(() => {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(deps.encodeFrame({ type: 'heartbeat', connection_id: connection.id, stats: { open_connections: deps.registry.size } }));
  }, deps.intervalMs);
  return () => clearInterval(timer);
}
