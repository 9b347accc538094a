import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { Wait } from 'testcontainers';

export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine';
export const DEFAULT_REDIS_IMAGE = 'redis:7-alpine';

/**
 * Postgres from POSTGRES_IMAGE. Readiness is a log wait: the image's init-time server and the final one
 * each print the line once, and Podman (CI here) does not run the health check the module waits for.
 */
export function postgresContainer(): PostgreSqlContainer {
  return new PostgreSqlContainer(process.env.POSTGRES_IMAGE || DEFAULT_POSTGRES_IMAGE)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(60_000);
}

export function redisContainer(): RedisContainer {
  return new RedisContainer(process.env.REDIS_IMAGE || DEFAULT_REDIS_IMAGE).withStartupTimeout(30_000);
}

export function redisUrlOf(redis: { getHost(): string; getMappedPort(port: number): number }): string {
  return `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
}
