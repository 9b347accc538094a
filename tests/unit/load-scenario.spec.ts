import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test, expect } from '@playwright/test';
import { parseLoadCommand } from '../../scripts/load/command-line.ts';
import { parseDuration, parseRate } from '../../support/load/durations.ts';
import { accountsNeeded, describePhase, shardIndexes } from '../../support/load/scenario.ts';

const run = (args: string[]) => {
  const { command, problems } = parseLoadCommand(args);
  if (command?.kind !== 'run') throw new Error(`not a run: ${problems.join('; ')}`);
  return command;
};
const problemsOf = (args: string[]) => parseLoadCommand(args).problems;
const expressions = (args: string[]) => run(args).scenario.thresholds.map(({ expression }) => expression);

function scenarioFile(path: string, content: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('durations and rates as load tools write them', () => {
  expect([parseDuration('30'), parseDuration(30), parseDuration('500ms'), parseDuration('1.5s'), parseDuration('10m'), parseDuration('1h')]).toEqual([
    30_000, 30_000, 500, 1500, 600_000, 3_600_000,
  ]);
  expect([parseDuration('soon'), parseDuration('10 min'), parseDuration('-1')]).toEqual([undefined, undefined, undefined]);
  expect([parseRate('20'), parseRate('20/s'), parseRate('600/m'), parseRate(2.5), parseRate('20/h')]).toEqual([20, 20, 10, 2.5, undefined]);
});

test("without options: today's run, 100 users over a 5 s ramp, one turn, at most 1 % of attempts failing", () => {
  expect(run([])).toEqual({
    kind: 'run',
    scenario: {
      phases: [{ kind: 'users', users: 100, connectRampMs: 5000, soakMs: undefined, turns: 1, thinkTimeMs: 0 }],
      thresholds: [expect.objectContaining({ expression: 'errors<=1%' })],
    },
    shard: { index: 0, count: 1 },
    mintedUsers: false,
  });
});

test('--ramp is another name for --connect-ramp: the users arrive over it, and giving both is a problem', () => {
  expect(run(['--users', '10', '--ramp', '2']).scenario.phases).toEqual([expect.objectContaining({ users: 10, connectRampMs: 2000 })]);
  expect(run(['--users', '10', '--connect-ramp', '2s']).scenario.phases).toEqual([expect.objectContaining({ users: 10, connectRampMs: 2000 })]);
  expect(problemsOf(['--ramp', '2', '--connect-ramp', '3'])).toEqual(['--ramp is another name for --connect-ramp: give one']);
  expect(problemsOf(['--ramp', 'soon'])).toEqual(['--ramp soon is not a duration (seconds, or 500ms, 30s, 10m, 1h)']);
});

test('each kind of phase on the command line: a population with turns, think time and a soak; an arrival rate', () => {
  expect(run(['--users', '1000', '--connect-ramp', '20', '--turns', '3', '--think-time', '1s', '--soak', '10m']).scenario.phases).toEqual([
    { kind: 'users', users: 1000, connectRampMs: 20_000, soakMs: 600_000, turns: 3, thinkTimeMs: 1000 },
  ]);
  expect(run(['--arrival-rate', '20/s', '--duration', '1m', '--turns', '2']).scenario.phases).toEqual([
    { kind: 'arrival', ratePerSecond: 20, durationMs: 60_000, turns: 2, thinkTimeMs: 0 },
  ]);
  expect(describePhase(run(['--users', '1000', '--connect-ramp', '20', '--turns', '3', '--think-time', '1s', '--soak', '10m']).scenario.phases[0]!)).toBe(
    '1,000 users, connect ramp 20 s, 3 turns, think time 1 s, soak 10 min',
  );
  expect(describePhase(run(['--arrival-rate', '600/m', '--duration', '90']).scenario.phases[0]!)).toBe('10 users/s for 90 s, 1 turn');
});

test('combinations that mean nothing are listed all at once, each in the spelling it was given', () => {
  expect(problemsOf(['--users', '10', '--arrival-rate', '5'])).toEqual([
    '--users and --arrival-rate are two kinds of phase, a fixed population or users arriving at a rate: give one',
  ]);
  expect(problemsOf(['--arrival-rate', '5', '--ramp', '3', '--soak', '1m', '--think-time', '1'])).toEqual([
    '--arrival-rate needs --duration: how long users keep arriving',
    '--ramp ramps a fixed population (--users); an arrival-rate phase spreads its users by its rate',
    '--soak keeps a fixed population (--users) cycling; an arrival-rate phase lasts its --duration',
    '--think-time is the pause between turns: it needs --turns ≥ 2',
  ]);
  expect(problemsOf(['--users', '0', '--duration', '30', '--turns', '1.5', '--soak', '5', '--connect-ramp', '10'])).toEqual([
    '--turns 1.5 is not a whole number ≥ 1',
    '--duration is the length of an arrival-rate phase: give --arrival-rate too, or --soak to keep --users cycling',
    '--users 0 is not a whole number ≥ 1',
    '--soak 5 is shorter than --connect-ramp 10: the last users would arrive after the soak ended',
  ]);
  expect(problemsOf(['--users', '10', '--think-time', '2'])).toEqual(['--think-time is the pause after a turn: it needs --turns ≥ 2 or --soak']);
  expect(problemsOf(['--arrival-rate', '0.1', '--duration', '5'])).toEqual(['--arrival-rate 0.1 for --duration 5 brings no user']);
  expect(problemsOf(['--users', '3', '--shard', '1/4', '--max-error-rate', '120', '--threshold', 'p95<3'])).toEqual([
    '--max-error-rate 120 is not a percentage',
    '--users: 3 user(s) for 4 shards: every shard needs a user',
    'threshold "p95<3": p95 is not a figure: the figures are login|connect|first_event|completion.(p50|p90|p95|p99|max) in ms, errors (as % or a count), runs/s, connects/s, events/s',
  ]);
  expect(problemsOf(['--shard', '3/2'])).toEqual(['--shard 3/2 is not i/N with 1 ≤ i ≤ N (e.g. 2/4: the second of four machines)']);
  expect(problemsOf(['--start-at', 'tomorrow'])).toEqual(['--start-at tomorrow is not a time (ISO 8601, e.g. 2026-11-29T18:00:00Z)']);
});

test('thresholds: every --threshold given counts, --max-error-rate is one, and the 1 % default only stands in for none', () => {
  expect(expressions(['--threshold', 'completion.p95<2000', '--threshold', 'runs/s>10'])).toEqual(['completion.p95<2000', 'runs/s>10', 'errors<=1%']);
  expect(expressions(['--threshold', 'errors<0.5%'])).toEqual(['errors<0.5%']);
  expect(expressions(['--max-error-rate', '5'])).toEqual(['errors<=5%']);
  expect(expressions(['--threshold=completion.max<9000', '--max-error-rate', '0'])).toEqual(['completion.max<9000', 'errors<=0%']);
});

test('a scenario file: phases run in order, its thresholds and those of the command line', ({}, testInfo) => {
  const file = scenarioFile(testInfo.outputPath('scenario.json'), {
    phases: [
      { users: 100, connectRamp: '10s', turns: 2, thinkTime: 0.5 },
      { arrivalRate: '20/s', duration: 30 },
      { users: 50, soak: '2m' },
    ],
    thresholds: ['completion.p95<2000', 'errors<0.5%'],
  });

  const { scenario } = run(['--scenario', file, '--threshold', 'connects/s>10']);

  expect(scenario.phases).toEqual([
    { kind: 'users', users: 100, connectRampMs: 10_000, soakMs: undefined, turns: 2, thinkTimeMs: 500 },
    { kind: 'arrival', ratePerSecond: 20, durationMs: 30_000, turns: 1, thinkTimeMs: 0 },
    { kind: 'users', users: 50, connectRampMs: 5000, soakMs: 120_000, turns: 1, thinkTimeMs: 0 },
  ]);
  expect(scenario.thresholds.map(({ expression }) => expression)).toEqual(['completion.p95<2000', 'errors<0.5%', 'connects/s>10']);
});

test("a scenario file's problems name the file and the place in it; phase options beside it are problems", ({}, testInfo) => {
  const file = scenarioFile(testInfo.outputPath('bad.json'), {
    phases: [
      { users: 10, arrivalRate: 2 },
      { arrivalRate: '5/s', duration: 'long' },
      { users: 5, soak: '1m', connectRamp: '2m' },
    ],
    thresholds: ['completion.p95<fast'],
  });
  expect(problemsOf(['--scenario', file, '--users', '5'])).toEqual([
    `--users is a phase option, and --scenario ${file} holds the phases: put it in the file`,
    `${file}: phases[0].users and ${file}: phases[0].arrivalRate are two kinds of phase, a fixed population or users arriving at a rate: give one`,
    `${file}: phases[1].duration long is not a duration (seconds, or 500ms, 30s, 10m, 1h) > 0`,
    `${file}: phases[2].soak 1m is shorter than ${file}: phases[2].connectRamp 2m: the last users would arrive after the soak ended`,
    'threshold "completion.p95<fast": fast is not a number of milliseconds (2000, 2000ms or 2s)',
  ]);

  const misspelt = scenarioFile(testInfo.outputPath('misspelt.json'), { phases: [{ userz: 10 }], threshold: [] });
  expect(problemsOf(['--scenario', misspelt])).toEqual([
    `--scenario ${misspelt}: phases[0]: Unrecognized key: "userz"`,
    `--scenario ${misspelt}: Unrecognized key: "threshold"`,
  ]);
  expect(problemsOf(['--scenario', scenarioFile(testInfo.outputPath('empty.json'), { phases: [] })])).toEqual([
    `--scenario ${testInfo.outputPath('empty.json')}: phases: needs at least one phase`,
  ]);
  expect(problemsOf(['--scenario', scenarioFile(testInfo.outputPath('broken.json'), '{"phases": [')])[0]).toMatch(
    /^--scenario .*broken\.json cannot be read as JSON \(/,
  );
  expect(problemsOf(['--scenario', testInfo.outputPath('missing.json')])).toEqual([
    `--scenario ${testInfo.outputPath('missing.json')} cannot be read as JSON (ENOENT)`,
  ]);
});

test('--merge takes a folder and thresholds, and nothing that belongs to a run', () => {
  expect(parseLoadCommand(['--merge', 'shards', '--threshold', 'completion.p99<3000']).command).toEqual({
    kind: 'merge',
    folder: 'shards',
    thresholds: [expect.objectContaining({ expression: 'completion.p99<3000' })],
  });
  expect(problemsOf(['--merge', 'shards', '--users', '10', '--shard', '1/2', '--minted-users'])).toEqual([
    '--merge adds up shards that already ran: --users belongs to the runs',
    '--merge adds up shards that already ran: --shard belongs to the runs',
    '--merge adds up shards that already ran: --minted-users belongs to the runs',
  ]);
});

test("shards take every N-th user of each phase, so a ramp keeps its shape over the machines and a smaller phase takes a prefix of a shard's users", () => {
  expect([0, 1, 2].map((index) => shardIndexes(10, { index, count: 3 }))).toEqual([
    [0, 3, 6, 9],
    [1, 4, 7],
    [2, 5, 8],
  ]);
  expect(shardIndexes(4, { index: 1, count: 3 })).toEqual([1]);
  const { scenario } = run([]);
  expect(
    accountsNeeded(
      { phases: [...scenario.phases, { kind: 'arrival', ratePerSecond: 2, durationMs: 60_000, turns: 1, thinkTimeMs: 0 }] },
      { index: 2, count: 3 },
    ),
  ).toBe(40);
});

test('the example scenario of the README and the workflow is one', () => {
  const { scenario } = run(['--scenario', 'scripts/load/scenarios/staging-checkup.json']);

  expect(scenario.phases.map(describePhase)).toEqual([
    '200 users, connect ramp 30 s, 3 turns, think time 1 s',
    '5 users/s for 2 min, 2 turns, think time 2 s',
    '200 users, connect ramp 10 s, 3 turns, think time 1 s, soak 10 min',
  ]);
  expect(scenario.thresholds.map(({ expression }) => expression)).toEqual([
    'connect.p95<2000',
    'first_event.p95<3000',
    'completion.p95<10000',
    'errors<0.5%',
    'runs/s>20',
  ]);
});
