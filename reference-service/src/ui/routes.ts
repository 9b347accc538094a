import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { WsAuthTransport } from '../ws/auth-modes.ts';
import type { Envelope } from '../ws/envelope.ts';
import type { EventNames } from '../ws/event-names.ts';
import type { WelcomeType } from '../ws/server-frames.ts';
import type { StartMessageShape } from '../ws/start-message.ts';

const asset = (name: string) => readFile(new URL(name, import.meta.url), 'utf8');

/** JSON that cannot end the <script> element it is embedded in. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

export interface UiOptions {
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
  };
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
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/app.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get('/style.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(style));
}
