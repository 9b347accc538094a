import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { Wait } from 'testcontainers';

/**
 * Postgres from `image` (the POSTGRES_IMAGE setting). Readiness is a log wait: the image's init-time server and the final one
 * each print the line once, and Podman (CI here) does not run the health check the module waits for.
 */
export function postgresContainer(image: string): PostgreSqlContainer {
  return new PostgreSqlContainer(image)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(60_000);
}

/** Redis from `image` (the REDIS_IMAGE setting). */
export function redisContainer(image: string): RedisContainer {
  return new RedisContainer(image).withStartupTimeout(30_000);
}

export function redisUrlOf(redis: { getHost(): string; getMappedPort(port: number): number }): string {
  return `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
}
