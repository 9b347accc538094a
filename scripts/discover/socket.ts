import { randomBytes } from 'node:crypto';
import { requestJson } from '../../support/client/http.ts';
import { fetchTicket } from '../../support/client/session.ts';
import { TokenMinter } from '../../support/client/tokens.ts';
import { deriveWsUrl } from '../../support/config/settings.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { CONTRACT_WEBSOCKET_PATHS } from '../../support/ws/paths.ts';
import { RecordingSocket, WS_AUTH_TRANSPORTS, type RecordedFrame, type WsAuthTransport, type WsCredential } from '../../support/ws/recording-socket.ts';
import { judgeRefusal, refusalOf } from '../../support/ws/refusal.ts';
import { NothingDiscovered, type Discovery } from './discovery.ts';
import type { DiscoverInputs } from './inputs.ts';
import type { DiscoveredLogin, DiscoveredSession } from './login.ts';

/** Beyond the contract's two: where chat services commonly put their socket. */
const COMMON_WEBSOCKET_PATHS = [...CONTRACT_WEBSOCKET_PATHS, '/api/ws', '/websocket', '/ws/chat'];
/** How long a probe waits for a first frame: a welcome comes in milliseconds, a refusal sooner. */
const PROBE_WAIT_MS = 2500;
/** Frames that are not a welcome even when they come first. */
const NOT_A_WELCOME = /error|heartbeat|ping|pong/i;
const FOREIGN_ORIGIN = 'https://evil.example';

export interface DiscoveredSocket {
  url: string;
  /** The harness's transport (WS_AUTH): the contract's subprotocol first, when accepted. */
  transport: WsAuthTransport;
  accepted: WsAuthTransport[];
  welcome: { type: string; envelope: RecordedFrame['envelope']; frame: Record<string, unknown> };
}

interface Probe {
  url: string;
  credential: string;
  welcome: RecordedFrame | undefined;
  refused: boolean;
  /** What the server did, in judgeRefusal's words. */
  description: string;
  httpStatus: number | undefined;
  frames: unknown[];
}

/**
 * Finds the socket: every candidate path, every transport of the harness's client, at once; which of them
 * welcome the user's token, what the welcome looks like, and how a refusal looks. Then what a healthy
 * service must refuse, on every path it serves: no credential, a bad token, a foreign Origin.
 */
export async function discoverSocket(inputs: DiscoverInputs, login: DiscoveredLogin, discovery: Discovery): Promise<DiscoveredSocket> {
  const session = login.user;
  const tickets = await ticketEndpoint(inputs.baseUrl, session, discovery);
  const transports = WS_AUTH_TRANSPORTS.filter((transport) => transport !== 'ticket' || tickets);
  const urls = candidateUrls(inputs.baseUrl, inputs.wsUrl);
  const probes = await Promise.all(
    urls.flatMap((url) => transports.map(async (transport) => probe(url, transport, await credentialFor(transport, inputs.baseUrl, session)))),
  );
  discovery.record('socket probes', probes);

  const welcomedAt = (url: string) => probes.filter((one) => one.url === url && one.welcome);
  const served = urls.filter((url) => welcomedAt(url).length > 0);
  const url = served[0];
  if (!url) {
    throw new NothingDiscovered(
      "no WebSocket path welcomed the user's token (set WS_URL if the socket is elsewhere)",
      probes.map((one) => `${one.url} by ${one.credential}: ${one.description}`),
    );
  }
  const accepted = transports.filter((transport) => welcomedAt(url).some((one) => one.credential === transport));
  const refusedTransports = probes.filter((one) => one.url === url && !one.welcome);
  const first = welcomedAt(url)[0]!.welcome!;
  const welcome = { type: String(first.frame.type), envelope: first.envelope, frame: first.frame };
  const transport = accepted[0]!;
  const notServed = urls
    .filter((candidate) => !served.includes(candidate))
    .map((candidate) => `${pathOf(candidate)} (${shortOutcome(probes.find((one) => one.url === candidate)!)})`);

  discovery.observe(
    'WebSocket path',
    'found',
    `${url} welcomed the user's token${served.length > 1 ? `; also served: ${served.slice(1).map(pathOf).join(', ')}` : ''}; not served: ${notServed.join(', ') || 'none'}`,
    {
      WS_URL: url,
    },
  );
  discovery.observe(
    'WebSocket auth',
    'found',
    `welcomed by ${accepted.join(', ')}${refusedTransports.length > 0 ? `; ${refusedTransports.map((one) => `${one.credential} ${one.description}`).join('; ')}` : ''}${tickets ? '' : '; no ticket transport (no usable ticket endpoint)'}`,
    { WS_AUTH: transport, WS_AUTH_ACCEPTED: accepted.join(',') },
  );
  const fields = Object.keys(welcome.frame).filter((field) => field !== 'type');
  discovery.observe('welcome', 'found', `first frame "${welcome.type}" in the ${welcome.envelope} form, with ${fields.join(', ') || 'no field'}`, {
    WS_WELCOME_TYPES: welcome.type,
  });

  checkWelcomedAs(
    probes.filter((candidate) => candidate.welcome),
    session,
    discovery,
  );
  await probeWhatMustBeRefused({ inputs, session, url, served, transport }, discovery);
  return { url, transport, accepted, welcome };
}

/** WS_URL when given, then the common paths beside BASE_URL, each once. */
function candidateUrls(baseUrl: string, wsUrl: string | undefined): string[] {
  const root = deriveWsUrl(baseUrl).replace(/\/ws$/, '');
  return [...new Set([...(wsUrl ? [new URL(wsUrl).href] : []), ...COMMON_WEBSOCKET_PATHS.map((path) => new URL(`${root}${path}`).href)])];
}

const pathOf = (url: string) => new URL(url).pathname;

/** A probe that was not welcomed, in a few words: its HTTP status, or its close code. */
function shortOutcome(one: Probe): string {
  if (one.httpStatus !== undefined) return `HTTP ${one.httpStatus}`;
  return one.description.replace(/ after \d+ error frame\(s\).*$/, '');
}

/** Whether the ticket endpoint gives a ticket the harness's client can use (`{ticket}`, not the real product's `{ticket_id}`). */
async function ticketEndpoint(baseUrl: string, session: DiscoveredSession, discovery: Discovery): Promise<boolean> {
  const response = await requestJson('POST', `${baseUrl}/api/websocket/ticket`, { token: session.accessToken });
  const body = response.body as Record<string, unknown> | undefined;
  if (response.status === 200 && typeof body?.ticket === 'string') {
    registerSecret(body.ticket);
    discovery.observe('ticket endpoint', 'found', 'POST /api/websocket/ticket answered 200 with a ticket');
    return true;
  }
  const shape =
    response.status === 200 ? `200 with ${Object.keys(body ?? {}).join(', ')}, not {ticket}: the harness's client cannot use it` : `${response.status}`;
  discovery.observe('ticket endpoint', 'not found', `POST /api/websocket/ticket answered ${shape}`);
  return false;
}

/** The session's credential over a transport: its token, or a fresh ticket (one opens one socket). */
export async function credentialFor(transport: WsAuthTransport, baseUrl: string, session: DiscoveredSession): Promise<WsCredential> {
  return transport === 'ticket' ? { transport, ticket: await fetchTicket(baseUrl, session.accessToken) } : { transport, token: session.accessToken };
}

/** Opens one socket and reports whether it was welcomed, and if not, how it was refused. */
async function probe(url: string, label: string, credential: WsCredential, origin?: string): Promise<Probe> {
  const socket = RecordingSocket.connect(url, credential, { origin, protocol: CONTRACT_PROTOCOL });
  try {
    const first = await socket.waitFor((frame) => !NOT_A_WELCOME.test(String(frame.type)), 'a welcome', PROBE_WAIT_MS).catch(() => undefined);
    const welcome = first ? socket.frames.find((recorded) => recorded.frame === first) : undefined;
    const profile: ProtocolProfile = { ...CONTRACT_PROTOCOL, welcomeTypes: first ? [String(first.type)] : [] };
    const refusal = await refusalOf(socket, first ? 0 : 500, profile);
    const judgement = judgeRefusal(
      refusal,
      socket.frames.map((recorded) => recorded.frame),
      profile,
    );
    return {
      url,
      credential: label,
      welcome,
      refused: judgement.refused,
      description: judgement.description,
      httpStatus: socket.ending.refused?.status,
      frames: socket.frames.map((recorded) => recorded.raw),
    };
  } finally {
    socket.close();
  }
}

/** A welcome names the socket's user; anyone else (a demo user, a prefix of the id) is a security finding, once per name given. */
function checkWelcomedAs(welcomed: readonly Probe[], session: DiscoveredSession, discovery: Discovery): void {
  const misnamed = new Map<unknown, string[]>();
  for (const one of welcomed) {
    const named = one.welcome!.frame.user_id;
    if (named !== undefined && named !== session.userId) misnamed.set(named, [...(misnamed.get(named) ?? []), `${pathOf(one.url)} by ${one.credential}`]);
  }
  for (const [named, where] of misnamed) {
    discovery.find('security', `the welcome names user ${String(named)}, but the token is user ${session.userId}'s (${where.join(', ')})`);
  }
}

/**
 * What a healthy service must refuse: no credential on every path it serves, a bad token and a foreign
 * Origin on the chosen one. A bad token is minted with JWT_SECRET when given (expired: well signed, only
 * out of date), and always signed by a key the service cannot know.
 */
async function probeWhatMustBeRefused(
  context: { inputs: DiscoverInputs; session: DiscoveredSession; url: string; served: string[]; transport: WsAuthTransport },
  discovery: Discovery,
): Promise<void> {
  const { inputs, session, url, transport } = context;
  const subject = { id: session.userId, email: session.email };
  const badTokens: Array<{ label: string; token: string }> = [
    { label: 'a token signed by another key', token: await new TokenMinter(randomBytes(32).toString('base64url')).mint('valid', subject) },
    ...(inputs.jwtSecret
      ? [{ label: 'an expired token minted with JWT_SECRET', token: await new TokenMinter(inputs.jwtSecret).mint('expired', subject) }]
      : []),
  ];
  for (const { token } of badTokens) registerSecret(token);
  const badCredentials: Array<{ label: string; credential: WsCredential }> =
    transport === 'ticket'
      ? [{ label: 'a ticket the service never issued', credential: { transport, ticket: randomBytes(32).toString('base64url') } }]
      : badTokens.map(({ label, token }) => ({ label, credential: { transport, token } }));

  const mustRefuse = [
    ...context.served.map((servedUrl) => ({
      what: `no credential on ${pathOf(servedUrl)}`,
      run: () => probe(servedUrl, 'no credential', { transport: 'none' }),
    })),
    ...badCredentials.map(({ label, credential }) => ({ what: `${label} by ${transport}`, run: () => probe(url, label, credential) })),
    {
      what: `Origin ${FOREIGN_ORIGIN} with a good token`,
      run: async () => probe(url, `Origin ${FOREIGN_ORIGIN}`, await credentialFor(transport, inputs.baseUrl, session), FOREIGN_ORIGIN),
    },
  ];
  const outcomes = await Promise.all(mustRefuse.map(async ({ what, run }) => ({ what, probe: await run() })));
  discovery.record('refusal probes', outcomes);
  for (const { what, probe: outcome } of outcomes.filter(({ probe: one }) => !one.refused)) {
    discovery.find('security', `${what}: the service ${outcome.description}; it must refuse (HTTP 401/403, or close 1008 before any welcome)`);
  }
  const refused = outcomes.filter(({ probe: one }) => one.refused);
  const byOutcome = new Map<string, string[]>();
  for (const { what, probe: one } of refused) byOutcome.set(one.description, [...(byOutcome.get(one.description) ?? []), what]);
  const refusals = [...byOutcome.entries()].map(([description, whats]) => `${whats.join(', ')}: ${description}`);
  discovery.observe('refusals', refused.length > 0 ? 'found' : 'not found', refusals.join('; ') || 'nothing that must be refused was');
}
