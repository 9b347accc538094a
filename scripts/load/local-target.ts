import type { HarnessSettings } from '../../support/config/settings.ts';
import { mintSyntheticUsers } from '../../support/load/accounts.ts';
import type { LoadUser } from '../../support/load/types.ts';
import type { LocalStack } from '../../support/stack/local-stack.ts';
import { startReferenceService } from '../../support/stack/reference-service-process.ts';
import { seedFreshUsers } from '../../support/stack/seed-user.ts';

export interface LocalLoadTarget {
  target: { baseUrl: string; wsUrl: string };
  users: LoadUser[];
  /** Stops what this target started beyond the stack (the stack's own stop covers the rest). */
  stop(): Promise<void>;
}

/**
 * The local stack as a load target, with `count` users: seeded accounts that log in with their password
 * (scrypt-bound, some 30 logins/s here: a few thousand users take minutes to seed and to log in); or,
 * with `minted`, synthetic users whose tokens are minted with the service's secret. The stack's service
 * does not provision users from tokens, so for those it gives way to one that does, on the same Postgres
 * and Redis, with the same fault switches.
 */
export async function localLoadTarget(
  stack: LocalStack,
  settings: Pick<HarnessSettings, 'localServiceFaults'>,
  count: number,
  minted: boolean,
): Promise<LocalLoadTarget> {
  if (!minted) {
    console.log(`load: seeding ${count} users`);
    return { target: stack.service, users: await seedFreshUsers(stack.containers.databaseUrl, count), stop: async () => {} };
  }
  await stack.service.stop();
  // If this process dies, the service's IPC channel closes and it stops itself.
  const service = await startReferenceService({
    databaseUrl: stack.containers.databaseUrl,
    redisUrl: stack.containers.redisUrl,
    faults: settings.localServiceFaults,
    env: { PROVISION_USERS_FROM_TOKENS: 'true' },
  });
  try {
    return { target: service, users: await mintSyntheticUsers(service.jwtSecret, count), stop: () => service.stop() };
  } catch (error) {
    await service.stop();
    throw error;
  }
}
