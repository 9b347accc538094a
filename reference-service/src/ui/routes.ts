import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WsAuthTransport } from '../ws/auth-modes.ts';
import type { Envelope } from '../ws/envelope.ts';
import type { EventNames } from '../ws/event-names.ts';
import type { WelcomeType } from '../ws/server-frames.ts';
import type { StartMessageShape } from '../ws/start-message.ts';
import type { AnswerField } from '../agent/answer-field.ts';
import type { TicketField } from '../tickets.ts';
import type { EventWrapper } from '../ws/event-wrapper.ts';
import type { WsHandshake } from '../ws/handshake.ts';
import type { IdNames } from '../ws/id-names.ts';
import type { TypeKey } from '../ws/type-key.ts';

const asset = (name: string) => readFile(new URL(name, import.meta.url), 'utf8');

/** Text that cannot end the attribute it is written in. */
const forAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** JSON that cannot end the <script> element it is embedded in. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

export interface UiOptions {
  /** The auth listener's port (AUTH_PORT), once it listens; undefined when the auth routes are this host's. */
  authPort: () => number | undefined;
  /** False only for the ui_no_render fault. */
  renderAnswer: boolean;
  /** `oauth`: no login form, only an SSO placeholder; the chat is reached with a token already in localStorage. */
  login: 'form' | 'oauth';
  /** The attribute carrying the UI's test hooks: the contract's data-testid, or another (data-qa, say). */
  testIdAttribute: string;
  /** What the page needs to speak this deployment's WebSocket variant, as its own front end would. */
  protocol: {
    wsAuthModes: readonly WsAuthTransport[];
    envelope: Envelope;
    welcomeEnvelope: Envelope;
    welcomeType: WelcomeType;
    eventNames: EventNames;
    startMessage: StartMessageShape;
    loginPath: string;
    ticketField: TicketField;
    authEnv: string | undefined;
    handshake: WsHandshake;
    eventWrapper: EventWrapper;
    answerField: AnswerField;
    typeKey: TypeKey;
    idNames: IdNames;
  };
}

/** The auth host as the browser reaches it: this page's host name, the auth listener's port; '' when auth is on this host. */
function authUrlFor(request: FastifyRequest, authPort: number | undefined): string {
  return authPort === undefined ? '' : `${request.protocol}://${request.hostname}:${authPort}`;
}

/** The login and chat page. */
export async function registerUiRoutes(app: FastifyInstance, options: UiOptions) {
  const [html, loginView, script, style] = await Promise.all([
    asset('index.html'),
    asset(options.login === 'oauth' ? 'login-sso.html' : 'login-form.html'),
    asset('app.js'),
    asset('style.css'),
  ]);
  const page = html
    .replace('__UI_CONFIG__', () => jsonForScript({ renderAnswer: options.renderAnswer, testIdAttribute: options.testIdAttribute }))
    .replace('__UI_PROTOCOL__', () => jsonForScript(options.protocol))
    .replace('__LOGIN_VIEW__', () => loginView)
    .replaceAll('data-testid=', `${options.testIdAttribute}=`);
  app.get('/', (request, reply) =>
    reply.type('text/html; charset=utf-8').send(page.replace('__AUTH_URL__', () => forAttribute(authUrlFor(request, options.authPort())))),
  );
  app.get('/app.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get('/style.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(style));
}
