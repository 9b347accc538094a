import type { HarnessSettings } from '../../support/config/settings.ts';
import { runConcurrently, targetOptions, type LoadUser } from '../../support/load/concurrent-runs.ts';
import { summariseLoad, type LoadSummary } from '../../support/load/summary.ts';
import { signIn } from '../../support/client/session.ts';

/** Password logins are scrypt-bound at about 33/s on these machines: the bench logs in below that. */
const LOGINS_PER_SECOND = 25;

/**
 * Logs every account in once, spread so the password hash is not what is measured, and returns them as
 * users with a session, so that each load level can then be run several times without logging in again.
 */
export async function logInAll(baseUrl: string, settings: HarnessSettings, accounts: Array<{ email: string; password: string }>): Promise<{ users: LoadUser[]; loginsPerSecond: number }> {
  const started = performance.now();
  const users = await Promise.all(
    accounts.map(async (account, index) => {
      await new Promise((resolve) => setTimeout(resolve, (index * 1000) / LOGINS_PER_SECOND));
      return { email: account.email, session: await signIn(baseUrl, account, settings.login) };
    }),
  );
  return { users, loginsPerSecond: Math.round((accounts.length / (performance.now() - started)) * 1000) };
}

/** One round at one level: every user opens a socket at once, then every user asks at once. */
export async function loadRound(target: { baseUrl: string; wsUrl: string }, settings: HarnessSettings, users: readonly LoadUser[]): Promise<LoadSummary> {
  const result = await runConcurrently({
    ...targetOptions(target, settings),
    users,
    rampMs: 0,
  });
  return summariseLoad(result);
}
