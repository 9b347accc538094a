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
import { registerHealthRoutes } from './health.ts';
import { registerTicketRoute } from './tickets.ts';
import { registerUiRoutes } from './ui/routes.ts';
import { ConnectionRegistry } from './ws/connections.ts';
import { startFanout } from './ws/fanout.ts';
import { createClientFrameParser } from './ws/client-frames.ts';
import { attachGateway, type Gateway } from './ws/gateway.ts';
import { createFrameEncoder } from './ws/server-frames.ts';
import { createRunner } from './agent/runs.ts';

export interface Service {
  readonly app: FastifyInstance;
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
  registerHealthRoutes(app, { db, redis, version: settings.SERVICE_VERSION, commit: settings.SERVICE_COMMIT });
  registerAuthRoutes(app, { db, tokens, provisionTokenUser, faults, loginDelayMs: settings.LOGIN_DELAY_MS });
  if (settings.TICKETS) registerTicketRoute(app, { redis: redis.commands, tokens, provisionTokenUser, ttlSeconds: settings.TICKET_TTL_SECONDS });
  if (settings.testLogin) registerTestLoginRoute(app, { db, tokens, testLogin: settings.testLogin });
  await registerUiRoutes(app, {
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
    },
  });

  const encodeFrame = createFrameEncoder({
    envelope: settings.WS_ENVELOPE,
    welcomeEnvelope: settings.WS_WELCOME_ENVELOPE,
    eventNames: settings.EVENT_NAMES,
    timestamps: settings.WS_TIMESTAMPS,
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
      eventUserId: settings.EVENT_USER_ID,
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
    refusal: settings.WS_REFUSAL,
    welcomeType: settings.WS_WELCOME_TYPE,
    encodeFrame,
    readClientFrame: createClientFrameParser(settings.START_MESSAGE),
    heartbeatMs: settings.HEARTBEAT_MS,
    log,
    onUserMessage: (message) => void executeRun(message),
  });
  return { app, gateway };
}
