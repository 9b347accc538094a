// npm run load -- --users N [--ramp S] [--max-error-rate PERCENT]
// N users at once through the golden path over the API, against the configured target (the same
// settings as the suite). Locally, the stack is started and N users are seeded; externally, the accounts
// come from LOAD_USERS_FILE (one "email,password" per line), or, without it, tokens are minted from
// JWT_SECRET for synthetic users (the target provisions them). Live progress, then a table, and
// reports/load/summary.json and index.html (latency plots). Exit 1 on any cross-user leak, or when more
// than --max-error-rate percent of the users failed; exit 2 on bad arguments or settings.
import { externalLoadUsers } from '../support/load/accounts.ts';
import { runConcurrently, targetOptions, type LoadProgress, type LoadUser } from '../support/load/concurrent-runs.ts';
import { parseLoadPlan } from '../support/load/plan.ts';
import { loadReportFolder, writeLoadReport } from '../support/load/report-files.ts';
import { formatLoadSummary, summariseLoad } from '../support/load/summary.ts';
import { seedFreshUsers } from '../support/stack/seed-user.ts';
import { interruptibleLocalStack, startCommand } from './shared/command-startup.ts';
import { parseOptions } from './shared/options.ts';

const USAGE = 'usage: npm run load -- --users N [--ramp SECONDS] [--max-error-rate PERCENT]   (defaults: 100 users, 5 s, 1 %)';

const options = parseOptions(USAGE, { users: { type: 'string' }, ramp: { type: 'string' }, 'max-error-rate': { type: 'string' } });
const parsed = parseLoadPlan(
  { users: options.values.users, rampSeconds: options.values.ramp, maxErrorRate: options.values['max-error-rate'] },
  { users: '--users', rampSeconds: '--ramp', maxErrorRate: '--max-error-rate', slices: '--slices' },
);
const problems = [...options.problems, ...parsed.problems];

// An external target's users are known before anything starts, so a missing or short file is a usage problem.
let externalUsers: LoadUser[] | undefined;
const settings = await startCommand(
  'load',
  USAGE,
  problems,
  async (loaded) => {
    if (loaded.target !== 'external' || !parsed.plan) return [];
    try {
      externalUsers = await externalLoadUsers(process.env, 0, parsed.plan.users);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  },
  // Its users are its own (seeded, LOAD_USERS_FILE or minted), never the suite's test account.
  { requireTestAccount: false },
);
const { users, rampSeconds, maxErrorRate } = parsed.plan!;

const localStack = interruptibleLocalStack(settings);

try {
  const started = performance.now();
  let target: { baseUrl: string; wsUrl: string };
  let accounts: LoadUser[];
  if (settings.target === 'local') {
    console.log('load: starting Postgres, Redis and the reference service');
    const stack = await localStack.start();
    target = stack.service;
    console.log(`load: seeding ${users} users`);
    accounts = await seedFreshUsers(stack.containers.databaseUrl, users);
  } else {
    target = { baseUrl: settings.baseUrl!, wsUrl: settings.wsUrl! };
    accounts = externalUsers!;
  }
  console.log(`load: ${users} users against ${target.baseUrl}, ramp ${rampSeconds} s (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const result = await runConcurrently({
    ...targetOptions(target, settings),
    users: accounts,
    rampMs: rampSeconds * 1000,
    onProgress: progressPrinter(users),
  });
  const summary = summariseLoad(result);
  console.log(`\n\n== load ==\n${formatLoadSummary(summary)}`);
  const folder = loadReportFolder();
  writeLoadReport(folder, { summary, outcomes: result.outcomes, target: target.baseUrl, title: `Load: ${users} users, ramp ${rampSeconds} s` });
  console.log(`(${folder}/summary.json, latency plots in ${folder}/index.html)`);

  const tooManyErrors = summary.errorRate * 100 > maxErrorRate;
  if (summary.leaks > 0) console.error(`load: FAIL: ${summary.leaks} frame(s) reached another user's socket`);
  if (tooManyErrors) console.error(`load: FAIL: ${(summary.errorRate * 100).toFixed(1)} % of the users failed, over the ${maxErrorRate} % allowed`);
  process.exitCode = summary.leaks > 0 || tooManyErrors ? 1 : 0;
} finally {
  await localStack.stop();
}

/** One line, rewritten in place on a terminal; a line every 2 s otherwise (CI logs). */
function progressPrinter(total: number): (progress: Readonly<LoadProgress>) => void {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    const interactive = process.stdout.isTTY;
    if (now - last < (interactive ? 200 : 2000) && progress.runsDone + progress.failed < total) return;
    last = now;
    const line = `load: logged in ${progress.loggedIn}/${total}, connected ${progress.connected}, runs done ${progress.runsDone}, errors ${progress.failed}`;
    process.stdout.write(interactive ? `\r${line}` : `${line}\n`);
  };
}
