import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Settings } from './config.ts';
import type { Database } from './db/database.ts';
import { createConversationStore } from './db/conversations.ts';
import type { RedisClients } from './redis.ts';
import { createTokenService } from './auth/tokens.ts';
import { createUserProvisioner, provisioningOff } from './auth/provisioning.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerTestLoginRoute } from './auth/test-login.ts';
import { registerErrorHandler } from './http-errors.ts';
import { registerHealthRoutes, registerLivenessRoute } from './health.ts';
import { registerCors } from './auth/cors.ts';
import { portOf } from './listener-port.ts';
import { registerTicketRoute } from './tickets.ts';
import { registerUiRoutes } from './ui/routes.ts';
import { ConnectionRegistry } from './ws/connections.ts';
import { startFanout } from './ws/fanout.ts';
import { createClientFrameParser } from './ws/client-frames.ts';
import { attachGateway, type Gateway } from './ws/gateway.ts';
import { createFrameEncoder } from './ws/server-frames.ts';
import { createRunner } from './agent/runs.ts';
import { AGENT_NAME } from './agent/agent.ts';
import { SUPERVISOR_AGENT } from './agent/sub-agents.ts';
import { createWrapRule } from './ws/event-wrapper.ts';

export interface Service {
  readonly app: FastifyInstance;
  /** The auth routes' own listener (AUTH_PORT); without it they are routes of `app`. */
  readonly authApp: FastifyInstance | undefined;
  readonly gateway: Gateway;
}

/** Wires HTTP routes, the WebSocket gateway, fan-out and the agent onto connected dependencies. */
export async function buildService(settings: Settings, db: Database, redis: RedisClients, log: Logger): Promise<Service> {
  const { faults } = settings;
  const app: FastifyInstance = Fastify({ loggerInstance: log as FastifyBaseLogger, trustProxy: true });
  const tokens = createTokenService({
    secret: settings.JWT_SECRET,
    accessTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: settings.REFRESH_TOKEN_TTL_SECONDS,
    faults,
    redis: redis.commands,
  });
  const provisionTokenUser = settings.PROVISION_USERS_FROM_TOKENS ? createUserProvisioner(db) : provisioningOff;

  registerErrorHandler(app);
  const health = { version: settings.SERVICE_VERSION, commit: settings.SERVICE_COMMIT };
  registerHealthRoutes(app, { db, redis, ...health, paths: { health: settings.HEALTH_PATH, ready: settings.READY_PATH } });
  // AUTH_PORT: the auth routes on a host of their own, as the later product's auth service was.
  const authApp =
    settings.AUTH_PORT === undefined ? undefined : Fastify({ loggerInstance: log.child({ listener: 'auth' }) as FastifyBaseLogger, trustProxy: true });
  const authRoutes = authApp ?? app;
  if (authApp) {
    registerErrorHandler(authApp);
    registerCors(authApp, {
      mainPort: () => portOf(app),
      allowedOrigins: settings.ALLOWED_ORIGINS,
      extraHeaders: settings.testLogin ? [settings.testLogin.header] : [],
    });
    registerLivenessRoute(authApp, { ...health, path: settings.HEALTH_PATH });
  }
  registerAuthRoutes(authRoutes, {
    db,
    tokens,
    provisionTokenUser,
    faults,
    loginDelayMs: settings.LOGIN_DELAY_MS,
    loginPath: settings.LOGIN_PATH,
    loginResponse: settings.LOGIN_RESPONSE,
  });
  if (settings.TICKETS) {
    registerTicketRoute(app, { redis: redis.commands, tokens, provisionTokenUser, ttlSeconds: settings.TICKET_TTL_SECONDS, field: settings.TICKET_FIELD });
  }
  if (settings.testLogin) registerTestLoginRoute(authRoutes, { db, tokens, testLogin: settings.testLogin });
  await registerUiRoutes(app, {
    authPort: () => (authApp ? portOf(authApp) : undefined),
    renderAnswer: !faults.has('ui_no_render'),
    login: settings.UI_LOGIN,
    testIdAttribute: settings.UI_TEST_ID_ATTRIBUTE,
    protocol: {
      wsAuthModes: settings.WS_AUTH_MODES,
      envelope: settings.WS_ENVELOPE,
      welcomeEnvelope: settings.WS_WELCOME_ENVELOPE,
      welcomeType: settings.WS_WELCOME_TYPE,
      eventNames: settings.EVENT_NAMES,
      startMessage: settings.START_MESSAGE,
      loginPath: settings.LOGIN_PATH,
      ticketField: settings.TICKET_FIELD,
      authEnv: settings.WS_AUTH_ENV,
      handshake: settings.WS_HANDSHAKE,
      eventWrapper: settings.WS_EVENT_WRAPPER,
      answerField: settings.ANSWER_FIELD,
      typeKey: settings.WS_TYPE_KEY,
      idNames: settings.WS_ID_NAMES,
    },
  });

  const encodeFrame = createFrameEncoder({
    envelope: settings.WS_ENVELOPE,
    welcomeEnvelope: settings.WS_WELCOME_ENVELOPE,
    eventNames: settings.EVENT_NAMES,
    timestamps: settings.WS_TIMESTAMPS,
    errorFrame: settings.ERROR_FRAME,
    isWrapped: createWrapRule(settings.WS_EVENT_WRAPPER, [AGENT_NAME, SUPERVISOR_AGENT]),
    idNames: settings.WS_ID_NAMES,
    typeKey: settings.WS_TYPE_KEY,
  });
  const registry = new ConnectionRegistry();
  const publish = await startFanout(redis, registry, faults);
  const executeRun = createRunner({
    db,
    conversations: createConversationStore(db),
    publish,
    encodeFrame,
    protocol: {
      echoPrompt: settings.ECHO_PROMPT,
      streamChunks: settings.STREAM_CHUNKS,
      toolDurationField: settings.TOOL_DURATION_FIELD,
      answerShape: settings.ANSWER_SHAPE,
      answerField: settings.ANSWER_FIELD,
      eventUserId: settings.EVENT_USER_ID,
      subAgents: settings.SUB_AGENTS,
      cleanupEvents: settings.CLEANUP_EVENTS,
      sessionRunIds: settings.WS_HANDSHAKE !== 'off',
    },
    faults,
    log,
  });
  const gateway = attachGateway(app.server, {
    tokens,
    provisionTokenUser,
    redis: redis.commands,
    registry,
    faults,
    allowedOrigins: settings.ALLOWED_ORIGINS,
    acceptedTransports: settings.WS_AUTH_MODES,
    authEnv: settings.WS_AUTH_ENV,
    refusal: settings.WS_REFUSAL,
    welcomeType: settings.WS_WELCOME_TYPE,
    encodeFrame,
    readClientFrame: createClientFrameParser({
      startMessage: settings.START_MESSAGE,
      typeKey: settings.WS_TYPE_KEY,
      idNames: settings.WS_ID_NAMES,
      handshake: settings.WS_HANDSHAKE !== 'off',
    }),
    heartbeatMs: settings.HEARTBEAT_MS,
    handshake: settings.WS_HANDSHAKE,
    log,
    onUserMessage: (message) => void executeRun(message),
  });
  return { app, authApp, gateway };
}
