import { pathsWhere } from './json-paths.ts';
import { found, type Learned } from './learned.ts';
import type { RecordedExchange, RecordedWebSocket, WebClientRecording } from './recording.ts';

/** How the page's socket carried its credential, in the harness's terms. */
export type SocketCredential =
  | { transport: 'subprotocol'; templates: string[] }
  | { transport: 'query'; parameter: string }
  | { transport: 'ticket'; parameter: string; path: string; field: string };

export interface LearnedSocket extends Learned {
  /** The socket the prompt went over. */
  socket: RecordedWebSocket | undefined;
  /** Its address without the query. */
  url: string | undefined;
  credential: SocketCredential | undefined;
  /** Query parameters the page sent besides the credential (WS_QUERY). */
  query: URLSearchParams;
}

/**
 * The socket the prompt went over, and how the page's token reached it: inside an offered subprotocol
 * (each offered one becomes a template), as a query parameter, or as a ticket fetched just before from
 * an endpoint whose answer holds it. Other query parameters go along on every socket (WS_QUERY).
 */
export function deriveSocket(recording: WebClientRecording, token: string | undefined): LearnedSocket {
  const prompt = recording.typed.prompts.at(-1)?.prompt;
  const socket =
    recording.sockets.find((one) => one.frames.some((frame) => frame.direction === 'sent' && prompt !== undefined && frame.text.includes(prompt))) ??
    [...recording.sockets].sort((a, b) => b.frames.length - a.frames.length)[0];
  const query = new URLSearchParams();
  if (!socket) {
    return {
      observations: [],
      notLearned: [{ settings: ['WS_URL', 'WS_AUTH'], why: 'the page opened no socket' }],
      socket,
      url: undefined,
      credential: undefined,
      query,
    };
  }
  const address = new URL(socket.url);
  const url = `${address.protocol}//${address.host}${address.pathname}`;
  const observations = [found('WebSocket path', `the page's prompt went over ${url}`, { WS_URL: url })];
  const notLearned: Learned['notLearned'] = [];
  for (const [name, value] of address.searchParams) query.append(name, value);

  // A ticket comes from a request that carried the token, before the socket opened.
  const ticketSources = recording.http.filter(
    (exchange) => token !== undefined && exchange.at <= socket.at && Object.values(exchange.requestHeaders).some((value) => value.includes(token)),
  );
  const credential = token === undefined ? undefined : credentialOf(socket, token, ticketSources, query);
  if (!credential) {
    const cookie = socket.requestHeaders.cookie ? '; it sent a cookie, which the harness does not send' : '';
    notLearned.push({ settings: ['WS_AUTH'], why: `the page's socket carried the login's token in no subprotocol, query parameter or ticket${cookie}` });
  } else if (credential.transport === 'subprotocol') {
    observations.push(
      found('WebSocket auth', `the page offered the subprotocols ${credential.templates.join(', ')} (the token where {{token}} is)`, {
        WS_AUTH: 'subprotocol',
        WS_SUBPROTOCOLS: credential.templates.join(','),
      }),
    );
  } else if (credential.transport === 'query') {
    observations.push(found('WebSocket auth', `the page put the token in the query parameter ${credential.parameter}`, { WS_AUTH: 'query' }));
    if (credential.parameter !== 'token') {
      notLearned.push({ settings: ['WS_AUTH'], why: `the token travels as ?${credential.parameter}=, and the harness sends ?token=` });
    }
  } else {
    observations.push(
      found('WebSocket auth', `the page fetched a ticket from ${credential.path} (its answer's ${credential.field}) and put it in ?${credential.parameter}=`, {
        WS_AUTH: 'ticket',
        TICKET_PATH: credential.path,
        TICKET_FIELD: credential.field,
      }),
    );
  }
  if ([...query].length > 0) {
    observations.push(found('WebSocket query', `the page also sent ${[...query.keys()].join(', ')} on the socket's address`, { WS_QUERY: query.toString() }));
  }
  return { observations, notLearned, socket, url, credential, query };
}

/** The credential, with its query parameter taken out of `query` (what is left goes on every socket). */
function credentialOf(socket: RecordedWebSocket, token: string, earlier: readonly RecordedExchange[], query: URLSearchParams): SocketCredential | undefined {
  if (socket.offeredProtocols.some((protocol) => protocol.includes(token))) {
    return { transport: 'subprotocol', templates: socket.offeredProtocols.map((protocol) => protocol.replaceAll(token, '{{token}}')) };
  }
  for (const [parameter, value] of query) {
    if (value === token) {
      query.delete(parameter);
      return { transport: 'query', parameter };
    }
    const ticketFrom = [...earlier].reverse().find((exchange) => pathsWhere(exchange.responseBody, (text) => text === value).length > 0);
    if (ticketFrom) {
      query.delete(parameter);
      return {
        transport: 'ticket',
        parameter,
        path: new URL(ticketFrom.url).pathname,
        field: pathsWhere(ticketFrom.responseBody, (text) => text === value)[0]!,
      };
    }
  }
  return undefined;
}
