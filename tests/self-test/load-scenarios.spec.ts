import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import { startLeakyRelay } from '../../support/load/leaky-relay.ts';
import { statistics } from '../../support/load/latency-statistics.ts';
import type { ShardFigures } from '../../support/load/report-files.ts';
import type { LoadSummary } from '../../support/load/summary.ts';
import { runNode } from '../../support/self-test/nested-run.ts';

/** The rare fan-out bug: one frame of a run in this many also reaches another user. */
const LEAK_EVERY = 40;

test.describe.configure({ timeout: 120_000 });

interface LoadRun {
  exitCode: number | null;
  output: string;
  reportsDir: string;
  summary: (LoadSummary & { verdict?: { pass: boolean; reasons: string[] } }) | undefined;
}

/** `npm run load -- <args>` in a child process, against an external target, with its own reports folder. */
async function runLoad(args: string[], env: Record<string, string>, reportsDir: string): Promise<LoadRun> {
  const { exitCode, output } = await runNode(
    ['--import', 'tsx', 'scripts/load.ts', ...args],
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REPORTS_DIR: reportsDir, TARGET: 'external', ...env },
    100_000,
  );
  const file = join(reportsDir, 'load', 'summary.json');
  return { exitCode, output, reportsDir, summary: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined };
}

test.describe('npm run load: scenarios and thresholds', () => {
  test('malformed thresholds stop it before anything starts (exit 2), each named with what is wrong', async ({}, testInfo) => {
    const run = await runLoad(
      ['--users', '2', '--threshold', 'completion.p97<2000', '--threshold', 'completion.p95<fast', '--threshold', 'leaks<1', '--threshold', 'errors<0.5%'],
      { BASE_URL: 'http://127.0.0.1:9', JWT_SECRET: 'a-signing-key-of-at-least-32-characters' },
      testInfo.outputPath('reports'),
    );

    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toContain('load: 3 problem(s); nothing was started:');
    expect(run.output).toContain('  - threshold "completion.p97<2000": p97 is not a statistic of completion: use p50, p90, p95, p99, max');
    expect(run.output).toContain('  - threshold "completion.p95<fast": fast is not a number of milliseconds (2000, 2000ms or 2s)');
    expect(run.output).toContain('  - threshold "leaks<1": leaks cannot be a threshold: any leak fails the run');
    expect(run.output).not.toContain('threshold "errors<0.5%"');
  });

  test('a scenario file of a ramped population taking 2 turns, then users arriving at a rate: every turn verified, thresholds met, exit 0', async ({
    launchService,
  }, testInfo) => {
    const service = await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } });
    const scenario = testInfo.outputPath('scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        phases: [
          { users: 6, connectRamp: '1s', turns: 2, thinkTime: '200ms' },
          { arrivalRate: '4/s', duration: 2, turns: 2 },
        ],
        thresholds: ['completion.p95<5000', 'errors<1%'],
      }),
    );

    const run = await runLoad(['--scenario', scenario], { BASE_URL: service.baseUrl, JWT_SECRET: service.jwtSecret }, testInfo.outputPath('reports'));

    expect(run.exitCode, run.output).toBe(0);
    // 6 users, then 8 arrivals (the first 6 of them the same users, logged in already), 2 turns each.
    expect(run.summary, run.output).toMatchObject({
      users: 8,
      attempts: 28,
      verifiedRuns: 28,
      verifiedEvents: 28 * 6,
      connected: 14,
      errorRate: 0,
      leaks: 0,
      verdict: { pass: true },
    });
    expect(run.summary!.peakOpenSockets).toBeGreaterThanOrEqual(6);
    expect(run.summary!.phases.map(({ label }) => label)).toEqual(['6 users, connect ramp 1 s, 2 turns, think time 200 ms', '4 users/s for 2 s, 2 turns']);
    expect(run.output).toMatch(
      /^load 0:0\d phase 1\/2 \(6 users, connect ramp 1 s, 2 turns, think time 200 ms\): active \d+, open \d+, connects\/s \d+, runs\/s \d+, errors 0, leaks 0$/m,
    );
    expect(run.output).toMatch(/^threshold completion\.p95<5000 +met +\(\d+ ms\)$/m);
    expect(readFileSync(join(run.reportsDir, 'load', 'verdict.md'), 'utf8')).toMatch(/^### ✅ PASS: Load: 6 users/);
    expect(readFileSync(join(run.reportsDir, 'load', 'index.html'), 'utf8')).toContain('data-chart="latency-over-time"');
  });

  test('a threshold the run misses fails it (exit 1), named as missed with what was measured', async ({ launchService }, testInfo) => {
    const service = await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } });

    const run = await runLoad(
      ['--users', '3', '--connect-ramp', '0', '--turns', '2', '--threshold', 'completion.max<1', '--threshold', 'first_event.p50<60000'],
      { BASE_URL: service.baseUrl, JWT_SECRET: service.jwtSecret },
      testInfo.outputPath('reports'),
    );

    expect(run.exitCode, run.output).toBe(1);
    expect(run.summary).toMatchObject({ verifiedRuns: 6, leaks: 0, verdict: { pass: false } });
    expect(run.output).toMatch(/^load: FAIL: threshold completion\.max<1 missed \(\d+ ms\)$/m);
    expect(run.output).toMatch(/^threshold first_event\.p50<60000 +met/m);
    expect(readFileSync(join(run.reportsDir, 'load', 'verdict.md'), 'utf8')).toContain('| `completion.max<1` |');
  });
});

test.describe(`a rare leak (1 run frame in ${LEAK_EVERY} also sent to another user) is caught in every mode`, () => {
  const MODES: Array<{ mode: string; args: string[] }> = [
    { mode: 'a connect ramp', args: ['--users', '12', '--connect-ramp', '1'] },
    { mode: 'several turns with think time', args: ['--users', '6', '--connect-ramp', '0.5', '--turns', '3', '--think-time', '100ms'] },
    { mode: 'an arrival rate', args: ['--arrival-rate', '10/s', '--duration', '2', '--turns', '2', '--think-time', '300ms'] },
    { mode: 'a soak', args: ['--users', '6', '--connect-ramp', '0.5', '--soak', '4s', '--turns', '2', '--think-time', '100ms'] },
  ];
  for (const { mode, args } of MODES) {
    test(`with ${mode}: every leaked frame is counted, the owners' runs still pass, exit 1`, async ({ launchService }, testInfo) => {
      const service = await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } });
      const relay = await startLeakyRelay(service.baseUrl, LEAK_EVERY);
      try {
        const run = await runLoad(args, { BASE_URL: relay.baseUrl, JWT_SECRET: service.jwtSecret }, testInfo.outputPath('reports'));

        expect(relay.leaked, run.output).toBeGreaterThan(0);
        expect(run.exitCode, run.output).toBe(1);
        expect(run.summary, run.output).toMatchObject({ leaks: relay.leaked, errorRate: 0 });
        expect(run.summary!.verifiedRuns).toBe(run.summary!.attempts);
        expect(run.output).toContain(`load: FAIL: ${relay.leaked} frame(s) reached another user's socket`);
      } finally {
        await relay.close();
      }
    });
  }
});

test.describe('a distributed run: two shards at once, then the merge', () => {
  test('the merge counts every attempt of both shards once, recomputes the percentiles from their samples, sums the rates over their common window, and is judged by the thresholds', async ({
    launchService,
  }, testInfo) => {
    const service = await launchService({ env: { PROVISION_USERS_FROM_TOKENS: 'true' } });
    const env = { BASE_URL: service.baseUrl, JWT_SECRET: service.jwtSecret };
    const phase = ['--users', '10', '--connect-ramp', '2', '--turns', '2', '--think-time', '200ms', '--threshold', 'completion.p99<5000'];
    // Both wait, ready, for the same moment, as the machines of the load workflow do.
    const startAt = new Date(Date.now() + 10_000).toISOString();

    const shards = await Promise.all(
      [1, 2].map((index) => runLoad([...phase, '--shard', `${index}/2`, '--start-at', startAt], env, testInfo.outputPath(`shard-${index}`))),
    );

    for (const shard of shards) {
      expect(shard.exitCode, shard.output).toBe(0);
      expect(shard.summary, shard.output).toMatchObject({ users: 5, attempts: 10, verifiedRuns: 10 });
      expect(shard.output).toContain(`load: waiting until ${startAt}`);
      expect(shard.output).toContain('this shard alone (the merge judges the run):');
    }
    const started = shards.map(
      (shard) => (JSON.parse(readFileSync(join(shard.reportsDir, 'load', 'figures.json'), 'utf8')) as ShardFigures).result.phases[0]!.startedAt,
    );
    expect(Math.abs(started[0]! - started[1]!), 'the shards started together').toBeLessThan(1000);
    // What a CI merge job downloads: each shard's reports/load in a folder of its own.
    const downloaded = testInfo.outputPath('downloaded');
    shards.forEach((shard, index) => cpSync(join(shard.reportsDir, 'load'), join(downloaded, `load-shard-${index + 1}`), { recursive: true }));

    const merged = await runLoad(['--merge', downloaded], {}, testInfo.outputPath('merged'));

    expect(merged.exitCode, merged.output).toBe(0);
    expect(merged.summary, merged.output).toMatchObject({ users: 10, attempts: 20, verifiedRuns: 20, verifiedEvents: 120, leaks: 0, verdict: { pass: true } });
    const samples = shards.flatMap(
      (shard) => (JSON.parse(readFileSync(join(shard.reportsDir, 'load', 'figures.json'), 'utf8')) as ShardFigures).result.outcomes,
    );
    expect(merged.summary!.latency.completionMs).toEqual(statistics(samples.flatMap(({ completionMs }) => completionMs ?? [])));
    expect(merged.summary!.rateWindow).toMatch(/^summed over the \d+ s in which all 2 shards were running turns/);
    expect(merged.output).toContain('load: merging 2 shard(s) of "10 users, connect ramp 2 s, 2 turns, think time 200 ms"');

    const judged = await runLoad(['--merge', downloaded, '--threshold', 'runs/s>100000'], {}, testInfo.outputPath('judged'));
    expect(judged.exitCode, judged.output).toBe(1);
    expect(judged.output).toMatch(/^load: FAIL: threshold runs\/s>100000 missed \(\d+ runs\/s\)$/m);

    const halfOnly = testInfo.outputPath('half');
    cpSync(join(shards[0]!.reportsDir, 'load'), join(halfOnly, 'load-shard-1'), { recursive: true });
    const incomplete = await runLoad(['--merge', halfOnly], {}, testInfo.outputPath('incomplete'));
    expect(incomplete.exitCode, incomplete.output).toBe(2);
    expect(incomplete.output).toContain('  - shard 2/2 is missing');
  });
});
