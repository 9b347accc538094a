import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { fetchTicket } from '../../../support/client/session.ts';
import { TokenMinter } from '../../../support/client/tokens.ts';
import { registerSecret } from '../../../support/evidence/redaction/secrets.ts';
import type { Discovery } from '../discovery.ts';
import type { SocketCredential } from './derive-socket.ts';
import { isObject, parseJson } from './json-paths.ts';
import { realType, lifted, contractView, type FrameShape } from './frame-shape.ts';

/** Where chat services put their socket: the page's path and the usual aliases, each must refuse what the page's refuses. */
const COMMON_PATHS = ['/ws', '/api/v1/websocket', '/api/ws', '/websocket', '/ws/chat'];
/** A welcome comes in milliseconds, a refusal sooner. */
const PROBE_WAIT_MS = 2500;
const NOT_A_WELCOME = /error|heartbeat|ping|pong/i;
const FOREIGN_ORIGIN = 'https://evil.example';
/** The transports the harness's own client speaks (WS_AUTH_ACCEPTED names those the service takes). */
const HARNESS_TRANSPORTS = ['subprotocol', 'query', 'header', 'ticket'] as const;

/** How the page spoke on its socket: enough to open one as it did, with another credential or none. */
export interface PageSocket {
  pageUrl: string;
  url: string;
  credential: SocketCredential;
  query: URLSearchParams;
  shape: FrameShape;
  token: string;
  user: { id: string; email: string };
}

interface Outcome {
  welcomed: boolean;
  description: string;
}

type Credential = { kind: 'token'; token: string } | { kind: 'ticket'; ticket: string } | { kind: 'none' };

/**
 * What the page's socket accepts and what it must refuse, spoken the page's way (its subprotocol
 * templates, its query, its tickets): which of the harness's transports the page's token opens
 * (WS_AUTH_ACCEPTED), then no credential on every path served, a token signed by another key, an
 * unsigned token, and a foreign Origin. Whatever of these is welcomed is a finding.
 */
export async function probePageSocket(socket: PageSocket, jwtSecret: string | undefined, discovery: Discovery): Promise<void> {
  const root = new URL(socket.url);
  const paths = [...new Set([root.pathname, ...COMMON_PATHS])];
  const ticket = async (): Promise<Credential> => {
    const fetched = await freshTicket(socket);
    return fetched === undefined ? { kind: 'none' } : { kind: 'ticket', ticket: fetched };
  };
  const good = async (): Promise<Credential> => (socket.credential.transport === 'ticket' ? ticket() : { kind: 'token', token: socket.token });
  const served = (
    await Promise.all(paths.map(async (path) => ((await open({ ...socket, url: `${root.origin}${path}` }, await good())).welcomed ? path : undefined)))
  ).filter((path): path is string => path !== undefined);

  const accepted = (
    await Promise.all(
      HARNESS_TRANSPORTS.map(async (transport) => {
        const credential: Credential = transport === 'ticket' ? await ticket() : { kind: 'token', token: socket.token };
        // No ticket to be had: the ticket transport is not one the harness can use here.
        if (credential.kind === 'none') return undefined;
        return (await open(socket, credential, { transport })).welcomed ? transport : undefined;
      }),
    )
  ).filter(Boolean);
  discovery.observe(
    'WebSocket auth accepted (web client)',
    'found',
    `the page's token opens the socket by ${accepted.join(', ') || 'nothing the harness sends besides the page’s way'}; served at ${served.join(', ')}`,
    accepted.length > 0 ? { WS_AUTH_ACCEPTED: accepted.join(',') } : {},
  );

  const subject = { id: socket.user.id, email: socket.user.email };
  const stranger = new TokenMinter(randomBytes(32).toString('base64url'));
  const bad: Array<{ what: string; credential: Credential }> = [
    { what: `a token signed by another key by ${socket.credential.transport}`, credential: { kind: 'token', token: await stranger.mint('valid', subject) } },
    { what: `an unsigned token (alg: none) by ${socket.credential.transport}`, credential: { kind: 'token', token: await stranger.mint('alg_none', subject) } },
    ...(jwtSecret
      ? [
          {
            what: `an expired token minted with JWT_SECRET by ${socket.credential.transport}`,
            credential: { kind: 'token' as const, token: await new TokenMinter(jwtSecret).mint('expired', subject) },
          },
        ]
      : []),
  ];
  if (socket.credential.transport === 'ticket')
    bad.splice(0, bad.length, { what: 'a ticket the service never issued', credential: { kind: 'ticket', ticket: randomBytes(24).toString('base64url') } });
  for (const { credential } of bad) if (credential.kind === 'token') registerSecret(credential.token);

  const mustRefuse = [
    ...served.map((path) => ({ what: `no credential on ${path}`, run: () => open({ ...socket, url: `${root.origin}${path}` }, { kind: 'none' }) })),
    ...bad.map(({ what, credential }) => ({ what, run: () => open(socket, credential) })),
    { what: `Origin ${FOREIGN_ORIGIN} with a good token`, run: async () => open(socket, await good(), { origin: FOREIGN_ORIGIN }) },
  ];
  const outcomes = await Promise.all(mustRefuse.map(async ({ what, run }) => ({ what, outcome: await run() })));
  for (const { what, outcome } of outcomes.filter(({ outcome: one }) => one.welcomed)) {
    discovery.find('security', `${what}: the service ${outcome.description}; it must refuse (HTTP 401/403, or close 1008 before any welcome)`);
  }
  const refused = outcomes.filter(({ outcome }) => !outcome.welcomed);
  discovery.observe(
    'refusals (web client)',
    refused.length > 0 ? 'found' : 'not found',
    refused.map(({ what, outcome }) => `${what}: ${outcome.description}`).join('; ') || 'nothing that must be refused was',
  );
}

/**
 * Opens one socket the page's way (or by one of the harness's transports) and waits for its first frame
 * that is not housekeeping: a welcome (or a handshake's opening) means it was let in.
 */
function open(
  socket: PageSocket,
  credential: Credential,
  options: { transport?: SocketCredential['transport'] | 'header'; origin?: string } = {},
): Promise<Outcome> {
  const transport = options.transport ?? socket.credential.transport;
  const url = new URL(socket.url);
  for (const [name, value] of socket.query) url.searchParams.append(name, value);
  const headers: Record<string, string> = {};
  let protocols: string[] = [];
  const pageTemplates = socket.credential.transport === 'subprotocol' ? socket.credential.templates : ['jwt-auth', 'jwt-auth.{{token}}'];
  if (credential.kind === 'none') protocols = pageTemplates.filter((template) => !template.includes('{{token}}'));
  else if (credential.kind === 'ticket')
    url.searchParams.set(socket.credential.transport === 'ticket' ? socket.credential.parameter : 'ticket', credential.ticket);
  else if (transport === 'subprotocol') protocols = pageTemplates.map((template) => template.replaceAll('{{token}}', credential.token));
  else if (transport === 'query') url.searchParams.set('token', credential.token);
  else if (transport === 'header') headers.Authorization = `Bearer ${credential.token}`;
  return new Promise((resolve) => {
    const client = new WebSocket(url, protocols, { headers, origin: options.origin ?? new URL(socket.pageUrl).origin });
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ welcomed: false, description: `sent nothing within ${PROBE_WAIT_MS} ms` }), PROBE_WAIT_MS);
    client.on('unexpected-response', (_request, response) => done({ welcomed: false, description: `refused the upgrade with HTTP ${response.statusCode}` }));
    client.on('error', (error) => done({ welcomed: false, description: `failed: ${error.message}` }));
    client.on('close', (code) => done({ welcomed: false, description: `closed ${code} before any welcome` }));
    client.on('message', (data) => {
      const frame = parseJson(String(data));
      if (!isObject(frame) || Array.isArray(frame)) return;
      const type = realType(frame, socket.shape);
      if (NOT_A_WELCOME.test(type)) return;
      const user = lifted(contractView(frame, socket.shape)).user_id;
      done({ welcomed: true, description: `welcomed the socket (${type})${user === undefined ? '' : ` as user ${String(user)}`}` });
    });
  });
}

/** A fresh ticket the page's way: the endpoint it used, with the page's token, the field it read; requested as the harness will. */
function freshTicket(socket: PageSocket): Promise<string | undefined> {
  return fetchTicket(socket.pageUrl, socket.token, ticketSource(socket)).catch(() => undefined);
}

/** The page's ticket endpoint; where the page used none, the harness's default one (TICKET_PATH, TICKET_FIELD), which the service may still serve. */
function ticketSource(socket: PageSocket): { path: string; field: string; parameter: string } {
  return socket.credential.transport === 'ticket' ? socket.credential : { path: '/api/websocket/ticket', field: 'ticket', parameter: 'ticket' };
}
