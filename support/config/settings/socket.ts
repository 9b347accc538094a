import { z } from 'zod';
import { WS_AUTH_TRANSPORTS, type WsAuthTransport } from '../../ws/recording-socket.ts';
import { commaList, dottedPath, jsonMap, setting, urlPath } from './schemas.ts';

const TRANSPORT_LIST = /^\s*(subprotocol|header|query|ticket)(\s*,\s*(subprotocol|header|query|ticket))*\s*$/;

/** How the harness's socket presents its credential: the transport, and what the service wants around it. */
export const SOCKET_SETTINGS = {
  WS_AUTH: setting({
    at: 'wsAuth',
    schema: z.enum(['subprotocol', 'header', 'query', 'ticket'], 'must be one of subprotocol, header, query, ticket').default('subprotocol'),
  }),
  WS_AUTH_ACCEPTED: setting({
    at: 'wsAuthAccepted',
    schema: commaList<WsAuthTransport>(TRANSPORT_LIST, 'must be a comma list of subprotocol, header, query, ticket').default([
      'subprotocol',
      'header',
      'query',
      'ticket',
    ]),
    fix: 'set WS_AUTH_ACCEPTED to the transports the target accepts, e.g. ticket behind a load balancer that strips Authorization',
    differs: ({ wsAuthAccepted }) => {
      const refused = WS_AUTH_TRANSPORTS.filter((transport) => !wsAuthAccepted.includes(transport));
      return refused.length === 0 ? undefined : `WebSocket auth by ${wsAuthAccepted.join(', ')} only (${refused.join(', ')} must be refused)`;
    },
  }),
  WS_SUBPROTOCOLS: setting({
    at: 'protocol.credentials.subprotocols',
    schema: commaList(/^\s*[\w.{}-]+(\s*,\s*[\w.{}-]+)*\s*$/, 'must be a comma list of subprotocols, e.g. jwt.staging.{{token}}')
      .refine((list) => list.some((item) => item.includes('{{token}}')), 'offers no subprotocol with {{token}}: the token would not travel')
      .default(['jwt-auth', 'jwt-auth.{{token}}']),
    fix: 'set WS_SUBPROTOCOLS to the subprotocols the service reads the token from, with {{token}}, e.g. jwt.staging.{{token}}',
    differs: ({ protocol }) =>
      protocol.credentials.subprotocols.join() === 'jwt-auth,jwt-auth.{{token}}' ? undefined : `subprotocols ${protocol.credentials.subprotocols.join(', ')}`,
  }),
  WS_QUERY: setting({
    at: 'protocol.credentials.query',
    schema: z
      .string()
      .regex(/^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/, 'must be query parameters, e.g. env=staging')
      .optional(),
    fix: 'set WS_QUERY to the query parameters every socket URL needs besides the credential, e.g. env=staging',
    differs: ({ protocol }) => (protocol.credentials.query === undefined ? undefined : `socket URL with ${protocol.credentials.query}`),
  }),
  WS_HEADERS: setting({
    at: 'protocol.credentials.headers',
    schema: jsonMap('{"X-Environment":"staging"}').default({}),
    fix: 'set WS_HEADERS to a JSON object of headers every upgrade needs, e.g. {"X-Environment":"staging"}',
    differs: ({ protocol }) =>
      Object.keys(protocol.credentials.headers).length === 0 ? undefined : `upgrade headers ${Object.keys(protocol.credentials.headers).join(', ')}`,
  }),
  TICKET_PATH: setting({
    at: 'ticket.path',
    schema: urlPath.default('/api/websocket/ticket'),
    fix: 'set TICKET_PATH to the endpoint that issues WebSocket tickets, e.g. /api/websocket/ticket',
  }),
  TICKET_FIELD: setting({
    at: 'ticket.field',
    schema: dottedPath('ticket or ticket_id').default('ticket'),
    fix: 'set TICKET_FIELD to where the ticket answer holds the ticket, e.g. ticket_id',
    differs: ({ ticket }) =>
      ticket.path === '/api/websocket/ticket' && ticket.field === 'ticket' ? undefined : `tickets from ${ticket.path}, read at ${ticket.field}`,
  }),
};
