import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import type { StartedRedisContainer } from '@testcontainers/redis';
import { keepBetweenRuns, postgresContainer, redisContainer, redisUrlOf } from './containers.ts';
import { withMachineLock } from './machine-lock.ts';
import { startReferenceService, type RunningReferenceService } from './reference-service-process.ts';

const KEPT_STACK_LOCK = 'golden-path-kept-stack';

export interface Containers {
  readonly postgres: StartedPostgreSqlContainer;
  readonly redis: StartedRedisContainer;
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

/** What a local run stands on: Postgres and Redis containers, and the reference service on them. */
export interface LocalStack {
  readonly containers: Containers;
  readonly service: RunningReferenceService;
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<unknown>;
}

/** Starts both; if either fails, stops the one that started before reporting the failure. */
async function startTogether<A extends Stoppable, B extends Stoppable>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'fulfilled' && second.status === 'fulfilled') return [first.value, second.value];
  const started = [first, second].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  await Promise.all(started.map((service) => service.stop()));
  throw [first, second].find((result) => result.status === 'rejected')!.reason;
}

/**
 * With `localStackReuse` the containers are kept when the stack stops, and the next stack takes them up
 * again (a warm start: only the service starts); `npm run stack:down` removes them.
 */
export async function startLocalStack(options: {
  postgresImage: string;
  redisImage: string;
  localServiceFaults: readonly string[];
  localStackReuse: boolean;
}): Promise<LocalStack> {
  const reuse = <Container extends Parameters<typeof keepBetweenRuns>[0]>(container: Container) =>
    options.localStackReuse ? keepBetweenRuns(container) : container;
  const start = () => startTogether(reuse(postgresContainer(options.postgresImage)).start(), reuse(redisContainer(options.redisImage)).start());
  // Workers starting at the same moment would each find no kept container and each create a pair.
  const [postgres, redis] = await (options.localStackReuse ? withMachineLock(KEPT_STACK_LOCK, start) : start());
  const stopContainers = () => (options.localStackReuse ? Promise.resolve() : Promise.all([postgres.stop(), redis.stop()]).then(() => undefined));
  const containers = { postgres, redis, databaseUrl: postgres.getConnectionUri(), redisUrl: redisUrlOf(redis) };
  let service: RunningReferenceService;
  try {
    service = await startReferenceService({ databaseUrl: containers.databaseUrl, redisUrl: containers.redisUrl, faults: options.localServiceFaults });
  } catch (error) {
    await stopContainers();
    throw error;
  }
  return {
    containers,
    service,
    async stop() {
      await service.stop();
      await stopContainers();
    },
  };
}
