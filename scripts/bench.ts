// npm run bench [-- --only client-overhead,api-golden-path,load-levels,report,suite] [--rounds N] [--suite-rounds N] [--load-rounds N] [--levels 10,100,500,1000] [--capacity [--soak-minutes N]]
// The harness's speed, measured in one run on this machine, as medians: one figure per line, labelled
// (a) to (e) as in the README. The parts are the table PARTS, run in its order. It prints figures, and
// the target each is held to; it fails nothing. Local target only.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadSummary } from '../support/load/summary.ts';
import { seedFreshUsers } from '../support/stack/seed-user.ts';
import { signIn } from '../support/client/session.ts';
import { removeKeptContainers } from '../support/stack/kept-containers.ts';
import { median, percentile } from '../support/stats/percentile.ts';
import { interruptibleLocalStack, startCommand } from './shared/command-startup.ts';
import { parseOptions } from './shared/options.ts';
import { bareExchange, harnessExchange, measureExchange, type ExchangeTarget } from './bench/client-overhead.ts';
import { loadRound, logInAll, recordCapacity, recordClientCpuPerEvent } from './bench/load-levels.ts';
import { SUITE_FOLDERS, timeSuiteRun } from './bench/suite-wall.ts';

/** The bundled service on its own Postgres and Redis, with users seeded for the parts that need it. */
interface BenchStack {
  target: { baseUrl: string; wsUrl: string };
  accounts: Array<{ email: string; password: string }>;
}

interface BenchPart {
  name: string;
  /** The label of its figures, in the output and the README's table; `--only` takes it too. */
  letter: string;
  measures: string;
  /** The parts that measure against the bundled service share one stack, stopped after the last of them. */
  usesStack: boolean;
  run(stack: BenchStack | undefined): Promise<void>;
}

// The parts against the shared stack first; then the report and the suite, which measure with nothing
// else running (the suite starts containers of its own, cold then warm).
const PARTS: BenchPart[] = [
  {
    name: 'client-overhead',
    letter: 'a',
    measures: "the harness's WebSocket client and checks against a bare `ws` client doing the same exchange",
    usesStack: true,
    run: (stack) => clientOverhead(stack!),
  },
  {
    name: 'api-golden-path',
    letter: 'c',
    measures: 'the API golden path end to end: HTTP login, socket, run, checks',
    usesStack: true,
    run: (stack) => apiGoldenPath(stack!),
  },
  {
    name: 'load-levels',
    letter: 'e',
    measures:
      "connects/s, verified events/s and completion latency at each --levels user count; the load client's CPU per verified event against bare ws; with --capacity, 10,000 users and a soak",
    usesStack: true,
    run: (stack) => loadLevels(stack!),
  },
  {
    name: 'report',
    letter: 'd',
    measures: '`npm run report` for 500 results, in a new process (scripts/bench/report-generation.ts)',
    usesStack: false,
    run: () => reportGeneration(),
  },
  { name: 'suite', letter: 'b', measures: 'the local suite (golden path, auth, health, isolation), cold and warm', usesStack: false, run: () => suiteWall() },
];

const PART_LIST = PARTS.map(({ name, letter }) => `${name} (${letter})`).join(', ');
const USAGE = `usage: npm run bench -- [--only PART,PART… (all)] [--rounds N (100)] [--suite-rounds N (2)] [--load-rounds N (3)] [--levels 10,100,500,1000]
  [--capacity [--soak-minutes N (10)]]: load-levels also runs 10,000 users and a soak of 1,000 users (about 3 min plus the soak)
  parts, run in this order:${PARTS.map(({ name, letter, measures }) => `\n    ${name} (${letter}): ${measures}`).join('')}`;
const WARM_UP = 3;

const { values, problems } = parseOptions(USAGE, {
  only: { type: 'string', default: PARTS.map(({ name }) => name).join(',') },
  rounds: { type: 'string', default: '100' },
  'suite-rounds': { type: 'string', default: '2' },
  'load-rounds': { type: 'string', default: '3' },
  levels: { type: 'string', default: '10,100,500,1000' },
  capacity: { type: 'boolean' },
  'soak-minutes': { type: 'string', default: '10' },
});
const asked = values.only.split(',').map((part) => part.trim());
const selected = PARTS.filter(({ name, letter }) => asked.includes(name) || asked.includes(letter));
const rounds = Number(values.rounds);
const suiteRounds = Number(values['suite-rounds']);
const loadRounds = Number(values['load-rounds']);
const levels = values.levels.split(',').map(Number);
const soakMinutes = Number(values['soak-minutes']);
problems.push(
  ...asked
    .filter((part) => !PARTS.some(({ name, letter }) => part === name || part === letter))
    .map((part) => `--only names an unknown part "${part}": the parts are ${PART_LIST}`),
  ...[
    ['--rounds', rounds],
    ['--suite-rounds', suiteRounds],
    ['--load-rounds', loadRounds],
    ['--soak-minutes', soakMinutes],
  ].flatMap(([flag, value]) => (Number.isInteger(value) && (value as number) >= 1 ? [] : [`${flag} is not a whole number ≥ 1`])),
  ...(levels.every((level) => Number.isInteger(level) && level >= 1) ? [] : [`--levels ${values.levels} is not a list of whole numbers ≥ 1`]),
);
const settings = await startCommand('bench', USAGE, problems, (loaded) =>
  loaded.target === 'local' ? [] : ['TARGET is external: the bench measures the harness with the bundled reference service; run it with TARGET=local'],
);

const figures: Array<{ figure: string; value: string; target: string }> = [];
const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const record = (figure: string, value: string, target = '') => {
  figures.push({ figure, value, target });
  console.log(`bench: ${figure}: ${value}${target ? `   (${target})` : ''}`);
};

const localStack = interruptibleLocalStack(settings);
const lastStackPart = selected.findLastIndex((part) => part.usesStack);

console.log(`bench: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPU(s), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
try {
  let stack: BenchStack | undefined;
  for (const [index, part] of selected.entries()) {
    if (part.usesStack && !stack) stack = await startBenchStack();
    await part.run(stack);
    if (index === lastStackPart) await localStack.stop();
  }
} finally {
  await localStack.stop();
}

console.log('\n== bench (medians) ==');
const width = Math.max(...figures.map(({ figure }) => figure.length));
for (const { figure, value, target } of figures) console.log(`${figure.padEnd(width)}  ${value}${target ? `   [${target}]` : ''}`);

async function startBenchStack(): Promise<BenchStack> {
  console.log('bench: starting Postgres, Redis and the reference service');
  const stack = await localStack.start();
  const users = Math.max(1, ...(selected.some(({ name }) => name === 'load-levels') ? levels : [1]));
  return { target: stack.service, accounts: await seedFreshUsers(stack.containers.databaseUrl, users) };
}

async function clientOverhead({ target, accounts }: BenchStack): Promise<void> {
  const session = await signIn(target.baseUrl, accounts[0]!, settings.login);
  const exchangeTarget: ExchangeTarget = { wsUrl: target.wsUrl, accessToken: session.accessToken, userId: session.userId };
  const harness: Array<{ wallMs: number; cpuMs: number }> = [];
  const bare: Array<{ wallMs: number; cpuMs: number }> = [];
  console.log(`bench: (a) ${rounds} exchanges each, harness and bare ws taking turns, after ${WARM_UP} to warm up`);
  for (let round = -WARM_UP; round < rounds; round++) {
    const [first, second] = round % 2 === 0 ? (['harness', 'bare'] as const) : (['bare', 'harness'] as const);
    for (const client of [first, second]) {
      const figure = await measureExchange(() => (client === 'harness' ? harnessExchange(exchangeTarget) : bareExchange(exchangeTarget)));
      if (round >= 0) (client === 'harness' ? harness : bare).push(figure);
    }
  }
  const medianOf = (series: typeof harness, key: 'wallMs' | 'cpuMs') => median(series.map((figure) => figure[key]))!;
  record('(a) bare ws exchange, wall / client CPU', `${medianOf(bare, 'wallMs').toFixed(1)} ms / ${medianOf(bare, 'cpuMs').toFixed(2)} ms`);
  record('(a) harness exchange, wall / client CPU', `${medianOf(harness, 'wallMs').toFixed(1)} ms / ${medianOf(harness, 'cpuMs').toFixed(2)} ms`);
  record('(a) harness ÷ bare, wall', `${(medianOf(harness, 'wallMs') / medianOf(bare, 'wallMs')).toFixed(2)}×`, 'target ≤ 1.3×');
  record('(a) harness ÷ bare, client CPU', `${(medianOf(harness, 'cpuMs') / medianOf(bare, 'cpuMs')).toFixed(2)}×`, 'target ≤ 1.3×');
}

async function apiGoldenPath({ target, accounts }: BenchStack): Promise<void> {
  console.log(`bench: (c) ${rounds} API golden paths: HTTP login, socket, run, checks`);
  const walls: number[] = [];
  for (let round = -WARM_UP; round < rounds; round++) {
    const { wallMs } = await measureExchange(async () => {
      const session = await signIn(target.baseUrl, accounts[0]!, settings.login);
      await harnessExchange({ wsUrl: target.wsUrl, accessToken: session.accessToken, userId: session.userId });
    });
    if (round >= 0) walls.push(wallMs);
  }
  record('(c) API golden path end to end, p50 / p95', `${ms(median(walls))} / ${ms(percentile(walls, 95))}`, 'target p50 ≤ 150 ms');
}

async function loadLevels({ target, accounts }: BenchStack): Promise<void> {
  console.log(`bench: (e) logging in ${accounts.length} users once (scrypt-bound), then ${loadRounds} round(s) at each of ${levels.join(', ')} users`);
  const { users, loginsPerSecond } = await logInAll(target.baseUrl, settings, accounts);
  record('(e) password logins/s (spread, not a storm)', String(loginsPerSecond));
  for (const level of levels) {
    const summaries: LoadSummary[] = [];
    for (let round = 0; round < loadRounds; round++) summaries.push(await loadRound(target, settings, users.slice(0, level)));
    const medianOverRounds = (pick: (summary: LoadSummary) => number | undefined) => median(summaries.flatMap((summary) => pick(summary) ?? []));
    const errors = summaries.reduce((sum, summary) => sum + summary.users - summary.verifiedRuns, 0);
    const leaks = summaries.reduce((sum, summary) => sum + summary.leaks, 0);
    record(
      `(e) ${level} users`,
      `connects/s ${medianOverRounds((summary) => summary.connectsPerSecond)}, verified events/s ${medianOverRounds((summary) => summary.verifiedEventsPerSecond)}, completion p50 ${ms(medianOverRounds((summary) => summary.latency.completionMs.p50))} p99 ${ms(medianOverRounds((summary) => summary.latency.completionMs.p99))}, errors ${errors}, leaks ${leaks} (over ${loadRounds} round(s))`,
      level >= 1000 ? 'target 0 errors, 0 leaks, ≥ 300 connects/s, ≥ 5,000 events/s' : '',
    );
  }
  await recordClientCpuPerEvent(target, settings, users, record);
  if (values.capacity) await recordCapacity(record, soakMinutes);
}

async function reportGeneration(): Promise<void> {
  console.log('bench: (d) npm run report for 500 synthetic results (scripts/bench/report-generation.ts, 3 runs)');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench/report-generation.ts', '500', '3'], {
    maxBuffer: 4 * 1024 * 1024,
  });
  const reportMedian = /npm run report for 500 results: median ([\d,]+) ms/.exec(stdout)?.[1];
  record('(d) npm run report, 500 results, new process', reportMedian ? `${reportMedian} ms` : `unreadable output:\n${stdout}`, 'target < 5,000 ms');
}

async function suiteWall(): Promise<void> {
  console.log(
    `bench: (b) the local suite (${SUITE_FOLDERS.join(', ')}), ${suiteRounds} round(s) of a cold run (no container running, new compile cache) then a warm one (the containers and cache it kept)`,
  );
  const cold: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < suiteRounds; round++) {
    const cache = mkdtempSync(join(tmpdir(), 'bench-transform-cache-'));
    try {
      await removeKeptContainers();
      for (const series of [cold, warm]) {
        const { wallMs, exitCode } = await timeSuiteRun(cache);
        if (exitCode !== 0) console.log(`bench: (b) warning: a suite run exited ${exitCode}; its time is still counted`);
        series.push(wallMs);
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
      await removeKeptContainers();
    }
  }
  record('(b) local suite, cold', ms(median(cold)), 'target ≤ 60 s');
  record('(b) local suite, warm', ms(median(warm)), 'target ≤ 20 s');
}
