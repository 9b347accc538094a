import { createServer, request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

export interface LeakyRelay {
  /** Where the harness reaches the service through the relay. */
  readonly baseUrl: string;
  /** Frames copied to another user's socket so far. */
  readonly leaked: number;
  close(): Promise<void>;
}

interface RelayedSocket {
  client: WebSocket;
  /** The user the service welcomed the socket as, from its first frame. */
  userId: unknown;
}

/**
 * A relay in front of a chat service with a rare fan-out bug, for the load tool's self-tests: every
 * `every`-th frame of a run (a frame with a root run_id) the service sends also goes to an open socket of
 * another user, while its owner still gets it; so only the per-frame ownership checks can catch it.
 * HTTP requests pass through unchanged. It leaks into sockets that are open, not closing, so every frame
 * it leaks reaches a client before that client's close handshake ends.
 */
export async function startLeakyRelay(upstream: string, every: number): Promise<LeakyRelay> {
  const sockets = new Set<RelayedSocket>();
  const upstreamSockets = new Set<WebSocket>();
  let runFrames = 0;
  let leaked = 0;
  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const relay = new WebSocketServer({ noServer: true, handleProtocols: (_offered, request) => chosenProtocol.get(request) || false });

  const server = createServer((incoming, answer) => {
    const proxied = request(
      new URL(incoming.url ?? '/', upstream),
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(upstream).host } },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    proxied.on('error', () => answer.writeHead(502).end());
    incoming.pipe(proxied);
  });

  const leakToAnotherUser = (from: RelayedSocket, data: string) => {
    const others = [...sockets].filter(({ client, userId }) => userId !== undefined && userId !== from.userId && client.readyState === WebSocket.OPEN);
    const other = others[leaked % Math.max(1, others.length)];
    if (!other) return;
    other.client.send(data);
    leaked++;
  };

  server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    const protocols = (incoming.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim())
      .filter(Boolean);
    const authorization = incoming.headers.authorization;
    const outbound = new WebSocket(
      new URL(incoming.url ?? '/', upstream.replace(/^http/, 'ws')),
      protocols,
      authorization ? { headers: { authorization } } : {},
    );
    upstreamSockets.add(outbound);
    outbound.on('error', () => socket.destroy());
    outbound.on('unexpected-response', (_request, response) => {
      socket.end(`HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\nConnection: close\r\n\r\n`);
      outbound.terminate();
    });
    outbound.once('open', () => {
      chosenProtocol.set(incoming, outbound.protocol);
      relay.handleUpgrade(incoming, socket, head, (client) => {
        const relayed: RelayedSocket = { client, userId: undefined };
        sockets.add(relayed);
        outbound.on('message', (data) => {
          const text = data.toString();
          if (client.readyState === WebSocket.OPEN) client.send(text);
          const frame = parse(text);
          relayed.userId ??= frame?.user_id;
          if (frame?.run_id !== undefined && ++runFrames % every === 0) leakToAnotherUser(relayed, text);
        });
        client.on('message', (data, isBinary) => outbound.readyState === WebSocket.OPEN && outbound.send(data, { binary: isBinary }));
        client.on('close', (code) => {
          sockets.delete(relayed);
          outbound.close(sendable(code));
        });
        outbound.on('close', (code, reason) => {
          upstreamSockets.delete(outbound);
          client.close(sendable(code), reason);
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get leaked() {
      return leaked;
    },
    async close() {
      for (const { client } of sockets) client.terminate();
      for (const outbound of upstreamSockets) outbound.terminate();
      relay.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const frame: unknown = JSON.parse(text);
    return typeof frame === 'object' && frame !== null ? (frame as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** 1005 (no code) and 1006 (dropped) describe a close; they cannot be sent in one. */
function sendable(code: number): number | undefined {
  return code === 1005 || code === 1006 ? undefined : code;
}
