import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { Wait } from 'testcontainers';

/**
 * Postgres from `image` (the POSTGRES_IMAGE setting). Readiness is a log wait: the image's init-time server and the final one
 * each print the line once, and Podman (CI here) does not run the health check the module waits for.
 */
export function postgresContainer(image: string): PostgreSqlContainer {
  return new PostgreSqlContainer(image).withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2)).withStartupTimeout(60_000);
}

/** Redis from `image` (the REDIS_IMAGE setting). */
export function redisContainer(image: string): RedisContainer {
  return new RedisContainer(image).withStartupTimeout(30_000);
}

/**
 * The label that marks the containers LOCAL_STACK_REUSE keeps between runs: `npm run stack:down` removes
 * what carries it. Testcontainers finds a kept container again by a hash of its configuration, which
 * this label is part of.
 */
export const KEPT_CONTAINER_LABEL = 'golden-path.kept';

/** Marks a container to be kept after the run and taken up again by the next (Testcontainers' reuse). */
export function keepBetweenRuns<Container extends PostgreSqlContainer | RedisContainer>(container: Container): Container {
  return container.withLabels({ [KEPT_CONTAINER_LABEL]: 'true' }).withReuse() as Container;
}

export function redisUrlOf(redis: { getHost(): string; getMappedPort(port: number): number }): string {
  return `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
}
