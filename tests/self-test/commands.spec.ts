import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '../../fixtures/index.ts';
import { commandEnvironment, runInRepository } from '../../support/self-test/nested-run.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NPM_SCRIPTS = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** The test account the suite's commands need against an external target: any, as nothing is reached. */
const EXTERNAL_ACCOUNT = { TEST_USER_EMAIL: 'nobody@golden-path.test', TEST_USER_PASSWORD: 'never-sent-anywhere' };
/** A code frame of a source line (`> 66 |  throw …`), or a stack frame in the harness's own code: what a crash shows. */
const HARNESS_CRASH = new RegExp(`^\\s*> \\d+ \\||^\\s+at .*${REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!node_modules/)`, 'm');

interface Place {
  /** A port where nothing listens: a connection to it is refused at once. */
  port: number;
  /** An empty folder of this test's own. */
  dir: string;
}

interface CommandCase {
  command: string;
  args: string[];
  /** The prerequisite that is missing, for the test's title. */
  missing: string;
  env: (place: Place) => Record<string, string>;
  exitCode: number;
  /** The one line that says what is missing. */
  reason: (place: Place) => RegExp;
}

const unreachableTarget = ({ port }: Place) => ({ TARGET: 'external', BASE_URL: `http://127.0.0.1:${port}`, ...EXTERNAL_ACCOUNT });
const unreachableReason = ({ port }: Place) =>
  new RegExp(`^  - BASE_URL is unreachable: http://127\\.0\\.0\\.1:${port}/health: ECONNREFUSED\\. Check the address`, 'm');
const noEngine = ({ dir }: Place) => ({ DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` });

// Every `npm run` command meant for users, each without what it needs: none may report success on nothing.
const MISSING_PREREQUISITE: CommandCase[] = [
  { command: 'golden-path', args: [], missing: 'a target that answers', env: unreachableTarget, exitCode: 1, reason: unreachableReason },
  { command: 'smoke', args: [], missing: 'a target that answers', env: unreachableTarget, exitCode: 1, reason: unreachableReason },
  { command: 'stability', args: ['--runs', '5'], missing: 'a target that answers', env: unreachableTarget, exitCode: 2, reason: unreachableReason },
  {
    command: 'load',
    args: ['--users', '2', '--ramp', '0'],
    missing: 'a target that answers',
    env: (place) => ({ TARGET: 'external', BASE_URL: `http://127.0.0.1:${place.port}`, JWT_SECRET: 'a-signing-key-of-at-least-32-characters' }),
    exitCode: 2,
    reason: unreachableReason,
  },
  {
    command: 'bench',
    args: ['--only', 'client-overhead', '--rounds', '1'],
    missing: 'a container engine',
    env: noEngine,
    exitCode: 2,
    reason: ({ dir }) => new RegExp(`^  - no container engine answers at ${join(dir, 'no-engine.sock')} \\(connect ENOENT`, 'm'),
  },
  {
    command: 'stack:down',
    args: [],
    missing: 'a container engine',
    env: noEngine,
    exitCode: 2,
    reason: () => /^stack:down: .*: is the container engine running\?/m,
  },
  {
    command: 'report',
    args: [],
    missing: 'test results',
    env: () => ({}),
    exitCode: 2,
    reason: () => /^report: no Allure results to report: .*allure-results does not exist\. Fix: /m,
  },
  {
    command: 'comment',
    args: ['--dry-run', '--repo', 'acme/chat', '--issue', '1'],
    missing: 'a verdict',
    env: () => ({}),
    exitCode: 2,
    reason: () => /^  - no verdict file at .*verdict\.md: run the tests first/m,
  },
  {
    command: 'merge-reports',
    args: [],
    missing: 'shard blobs',
    env: () => ({}),
    exitCode: 1,
    reason: () => /^Error: Directory does not exist: .*\/reports\/blob$/m,
  },
];

// The commands whose options are their own (the others are Playwright's): a wrong one stops them at once.
const OWN_OPTIONS: Array<{ command: string; options: string }> = [
  { command: 'stability', options: '--runs, --workers, --help' },
  { command: 'bench', options: '--only, --rounds, --suite-rounds, --load-rounds, --levels, --capacity, --soak-minutes, --help' },
  {
    command: 'load',
    options:
      '--users, --connect-ramp, --ramp, --arrival-rate, --duration, --turns, --think-time, --soak, --threshold, --max-error-rate, --scenario, --shard, --merge, --minted-users, --start-at, --help',
  },
  { command: 'report', options: '--help' },
  { command: 'comment', options: '--repo, --issue, --verdict, --dry-run, --new, --claims, --allow-local-audit, --help' },
  { command: 'stack:down', options: '--help' },
];

/**
 * What `npm run <command> -- <args>` runs: the command's line in package.json with the arguments after
 * it, in a shell with node_modules/.bin on the PATH, from the repository root; without npm's own start
 * (half a second of CPU a command, on a 2-core machine). Only these settings, and this test's own output folders.
 */
function npmRun(command: string, args: string[], dir: string, env: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  const script = NPM_SCRIPTS[command];
  if (!script) throw new Error(`package.json has no script "${command}"`);
  // A command that starts what it should not have would run for minutes: stop it, and fail on its exit code.
  return runInRepository(
    'sh',
    ['-c', `${script} "$@"`, command, ...args],
    commandEnvironment(dir, { PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, ...env }),
    20_000,
  );
}

async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function place(outputDir: string): Promise<Place> {
  mkdirSync(outputDir, { recursive: true });
  return { port: await refusingPort(), dir: outputDir };
}

test.describe('every npm run command, without what it needs, fails and says why in one line', () => {
  for (const { command, args, missing, env, exitCode, reason } of MISSING_PREREQUISITE) {
    test(`npm run ${[command, ...args].join(' ')} without ${missing} exits ${exitCode}`, async ({}, testInfo) => {
      const where = await place(testInfo.outputPath());
      const run = await npmRun(command, args, where.dir, env(where));
      expect(run.exitCode, run.output).toBe(exitCode);
      expect(run.output).toMatch(reason(where));
      expect(run.output, 'a missing prerequisite is a message, not a crash of the harness').not.toMatch(HARNESS_CRASH);
    });
  }
});

test.describe('a wrong option stops a command before it starts anything, naming the option and the ones that exist', () => {
  for (const { command, options } of OWN_OPTIONS) {
    test(`npm run ${command} -- --bogus exits 2`, async ({}, testInfo) => {
      const where = await place(testInfo.outputPath());
      // A target that does not answer: had the command gone on to its preflight, the output would say so.
      const run = await npmRun(command, ['--bogus'], where.dir, unreachableTarget(where));
      expect(run.exitCode, run.output).toBe(2);
      expect(run.output).toMatch(new RegExp(`^${command}: \\d+ problem\\(s\\); (nothing was (started|posted|removed)|no report was built):$`, 'm'));
      expect(run.output).toContain(`\n  - unknown option --bogus: the options are ${options}\n`);
      expect(run.output).not.toContain('BASE_URL is unreachable');
      expect(run.output).not.toMatch(HARNESS_CRASH);
    });
  }
});
