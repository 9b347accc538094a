import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database.ts';
import type { RedisClients } from './redis.ts';

export interface HealthPaths {
  /** HEALTH_PATH: liveness. */
  health: string;
  /** READY_PATH: readiness (database and Redis). */
  ready: string;
}

/** Liveness alone, as the auth listener serves it. */
export function registerLivenessRoute(app: FastifyInstance, deps: { version: string; commit: string | undefined; path: string }) {
  app.get(deps.path, async () => ({
    status: 'ok',
    service: 'netra-reference-service',
    version: deps.version,
    ...(deps.commit ? { commit: deps.commit } : {}),
  }));
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Database; redis: RedisClients; version: string; commit: string | undefined; paths: HealthPaths },
) {
  registerLivenessRoute(app, { version: deps.version, commit: deps.commit, path: deps.paths.health });

  app.get(deps.paths.ready, async (request, reply) => {
    const [database, redis] = await Promise.all([check(deps.db.ping()), check(deps.redis.ping())]);
    const ready = database === 'ok' && redis === 'ok';
    if (!ready) request.log.warn({ checks: { database, redis } }, 'not ready');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: { database, redis } });
  });
}

async function check(probe: Promise<void>): Promise<string> {
  try {
    await probe;
    return 'ok';
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  }
}
