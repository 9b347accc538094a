import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { withoutQuery } from '../logger.ts';
import { openConnection, type ConnectionDeps } from './connection.ts';
import { createSubprotocolSelector } from './credentials.ts';
import { refuseSocket, type WsRefusal } from './refusal.ts';
import { createUpgradeAuth, type UpgradeAuthDeps } from './upgrade-auth.ts';

export const WEBSOCKET_PATHS = new Set(['/ws', '/api/v1/websocket']);
export const MAX_FRAME_BYTES = 64 * 1024;
const CLOSE_GOING_AWAY = 1001;

export interface Gateway {
  /** Closes every socket with 1001 and stops accepting upgrades. */
  close(): void;
}

/** Routes upgrades on the WebSocket paths: refused by path, Origin or credential, or opened as a connection. */
export function attachGateway(server: Server, deps: UpgradeAuthDeps & ConnectionDeps & { refusal: WsRefusal }): Gateway {
  const { log, registry } = deps;
  const upgradeAuth = createUpgradeAuth(deps);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: createSubprotocolSelector(deps.authEnv),
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://upgrade.invalid');
    if (!WEBSOCKET_PATHS.has(url.pathname)) {
      return refuseUpgrade(socket, 404, 'Not Found', { code: 'not_found', message: `no WebSocket endpoint at ${url.pathname}` });
    }
    if (!upgradeAuth.originAllowed(request)) {
      log.warn({ origin: request.headers.origin }, 'websocket upgrade refused: foreign origin');
      return refuseUpgrade(socket, 403, 'Forbidden', { code: 'origin_not_allowed', message: `Origin ${request.headers.origin} is not allowed` });
    }
    upgradeAuth.authenticate(request, url).then(
      (auth) =>
        wss.handleUpgrade(request, socket, head, (ws) => {
          if (!auth.ok) {
            log.info({ path: withoutQuery(request.url), reason: auth.reason }, 'websocket refused: authentication failed');
            return refuseSocket(ws, auth.reason, deps.refusal, deps.encodeFrame);
          }
          openConnection(ws, auth.userId, deps);
        }),
      (error: Error) => {
        log.error({ err: error }, 'websocket authentication could not be checked');
        refuseUpgrade(socket, 503, 'Service Unavailable', { code: 'dependency_unavailable', message: 'authentication backend unavailable' });
      },
    );
  });

  return {
    close() {
      for (const connection of registry.all()) connection.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      wss.close();
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, statusText: string, body: object) {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
