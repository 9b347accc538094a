import type { Logger } from 'pino';
import { describeProtocol, loadSettings, type Settings } from './config.ts';
import { createLogger } from './logger.ts';
import { STARTUP_FAILURE_EXIT_CODE, StartupError } from './startup-error.ts';
import { createDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { connectRedis, type RedisClients } from './redis.ts';
import type { Service } from './app.ts';
import { portOf } from './listener-port.ts';

const SHUTDOWN_DEADLINE_MS = 5000;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

/** host:port/database of a connection URL, never its credentials. */
function describeUrl(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname === '/' ? '' : pathname}`;
}

async function phase<T>(log: Logger, name: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  log.info({ phase: name, duration_ms: Math.round(performance.now() - started) }, `phase ${name}: ok`);
  return result;
}

async function start(): Promise<void> {
  // The logger's level is a setting, so this phase logs itself once it has one.
  const settings: Settings = loadSettings(process.env);
  const log = createLogger(settings.LOG_LEVEL, { secretHeaders: settings.testLogin ? [settings.testLogin.header] : [] });
  log.info(
    {
      phase: 'config',
      port: settings.PORT,
      test_mode: settings.TEST_MODE,
      provision_users_from_tokens: settings.PROVISION_USERS_FROM_TOKENS,
      protocol: describeProtocol(settings),
    },
    'phase config: ok',
  );
  if (settings.faults.active.length > 0) log.warn({ faults: settings.faults.active }, 'TEST MODE: fault switches are on');
  if (settings.testLogin) log.warn({ path: settings.testLogin.path }, 'TEST MODE: the test-login bypass is on');

  const { buildService } = await phase(log, 'modules', async () => {
    try {
      if (settings.faults.has('startup_dependency_missing')) {
        // A real failed import, as production's missing monitoring module was.
        await import(new URL('./monitoring/not-installed.js', import.meta.url).href);
      }
      return await import('./app.ts');
    } catch (error) {
      throw new StartupError('modules', `a required module could not be loaded (${(error as Error).message})`, 'reinstall the service (npm ci)');
    }
  });

  const db: Database = await phase(log, 'database', async () => {
    const database = createDatabase(settings.DATABASE_URL, settings.DB_STATEMENT_TIMEOUT_MS, settings.faults);
    cleanups.push(() => database.close());
    try {
      const client = await database.pool.connect();
      try {
        const applied = await migrate(client);
        if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
      } finally {
        client.release();
      }
    } catch (error) {
      throw new StartupError(
        'database',
        `cannot use Postgres at ${describeUrl(settings.DATABASE_URL)} (${(error as Error).message})`,
        'check DATABASE_URL and that Postgres is running and reachable',
      );
    }
    return database;
  });

  const redis: RedisClients = await phase(log, 'redis', async () => {
    try {
      const clients = await connectRedis(settings.REDIS_URL);
      cleanups.push(() => clients.close());
      return clients;
    } catch (error) {
      throw new StartupError(
        'redis',
        `cannot reach Redis at ${describeUrl(settings.REDIS_URL)} (${(error as Error).message})`,
        'check REDIS_URL and that Redis is running and reachable',
      );
    }
  });

  const service: Service = await phase(log, 'routes', async () => {
    const built = await buildService(settings, db, redis, log);
    cleanups.unshift(
      () => built.gateway.close(),
      () => built.app.close(),
      () => built.authApp?.close(),
    );
    try {
      await built.app.listen({ port: settings.PORT, host: settings.HOST });
    } catch (error) {
      throw new StartupError('routes', `cannot listen on ${settings.HOST}:${settings.PORT} (${(error as Error).message})`, 'choose a free PORT (0 picks one)');
    }
    try {
      await built.authApp?.listen({ port: settings.AUTH_PORT, host: settings.HOST });
    } catch (error) {
      throw new StartupError(
        'routes',
        `cannot listen on ${settings.HOST}:${settings.AUTH_PORT} for the auth routes (${(error as Error).message})`,
        'choose a free AUTH_PORT (0 picks one)',
      );
    }
    return built;
  });

  const port = portOf(service.app) ?? settings.PORT;
  const authPort = service.authApp ? portOf(service.authApp) : undefined;
  log.info(
    {
      port,
      url: `http://${settings.HOST}:${port}`,
      ...(authPort === undefined ? {} : { auth_port: authPort, auth_url: `http://${settings.HOST}:${authPort}` }),
    },
    'listening',
  );
  // A parent that started us with an IPC channel (the harness) learns the ports without parsing logs.
  process.send?.({ event: 'listening', port, ...(authPort === undefined ? {} : { authPort }) });
}

let stopping = false;
async function stop(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    setTimeout(() => process.exit(exitCode || 1), SHUTDOWN_DEADLINE_MS).unref();
    // The gateway before the HTTP server: app.close() waits for open sockets.
    for (const cleanup of cleanups)
      await Promise.resolve()
        .then(cleanup)
        .catch(() => {});
  }
  process.exit(exitCode);
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// Started by a harness with IPC: if the harness dies, so do we, instead of living on as an orphan.
if (process.send) process.on('disconnect', () => void stop(0));

start().catch(async (error: unknown) => {
  const line = error instanceof StartupError ? error.oneLine() : `reference-service: startup failed: ${(error as Error).stack}`;
  process.stderr.write(`${line}\n`);
  await stop(STARTUP_FAILURE_EXIT_CODE);
});
