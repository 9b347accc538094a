import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import { listFiles } from '../../support/evidence/redaction/evidence-files.ts';
import type { LoadSummary } from '../../support/load/summary.ts';
import { runHarness } from '../../support/self-test/nested-run.ts';

test.describe.configure({ timeout: 120_000 });

const countResults = (reportsDir: string) => listFiles(join(reportsDir, 'allure-results')).filter((file) => file.endsWith('-result.json')).length;

test('two shards run one after the other and merged give one verdict and one Allure result set, with the counts of an unsharded run', async ({}, testInfo) => {
  const args = ['--project=unit'];
  const whole = await runHarness({ dir: testInfo.outputPath('whole'), args, env: {} });
  const shards = [];
  for (const shard of [1, 2]) shards.push(await runHarness({ dir: testInfo.outputPath(`shard-${shard}`), args: [...args, `--shard=${shard}/2`], env: {} }));

  // What each machine uploads, gathered where the merge step downloads it.
  const mergedBlobs = testInfo.outputPath('merged', 'reports', 'blob');
  mkdirSync(mergedBlobs, { recursive: true });
  for (const shard of shards) {
    expect(shard.exitCode, shard.output).toBe(0);
    expect(shard.verdict, 'a shard leaves the verdict to the merge').toBeUndefined();
    for (const blob of listFiles(join(shard.reportsDir, 'blob'))) copyFileSync(blob, join(mergedBlobs, basename(blob)));
  }
  const merged = await runHarness({ dir: testInfo.outputPath('merged'), command: 'merge-reports', args: [mergedBlobs], env: {} });

  expect(merged.exitCode, merged.output).toBe(0);
  expect(whole.verdict!.tests.total).toBeGreaterThan(100);
  expect(merged.verdict).toMatchObject({ verdict: 'PASS', tests: whole.verdict!.tests });
  expect(countResults(merged.reportsDir)).toBe(countResults(whole.reportsDir));
});

test("the load project's slices, run as two shards and merged, add up to every user's figures", async ({ settings }, testInfo) => {
  test.skip(settings.target !== 'local', 'seeds users on the local stack');
  // What two machines would run: LOAD_USERS split in LOAD_SLICES tests, one per shard.
  const env = { LOAD_USERS: '24', LOAD_SLICES: '2', LOAD_RAMP_SECONDS: '1' };
  const mergedBlobs = testInfo.outputPath('merged', 'reports', 'blob');
  mkdirSync(mergedBlobs, { recursive: true });
  for (const shard of [1, 2]) {
    const run = await runHarness({ dir: testInfo.outputPath(`load-shard-${shard}`), args: ['--project=load', `--shard=${shard}/2`], env });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain(`load slice ${shard}/2: 12 users`);
    expect(existsSync(join(run.reportsDir, 'load', 'summary.json')), 'a shard leaves the figures to the merge').toBe(false);
    for (const blob of listFiles(join(run.reportsDir, 'blob'))) copyFileSync(blob, join(mergedBlobs, basename(blob)));
  }

  const merged = await runHarness({ dir: testInfo.outputPath('merged'), command: 'merge-reports', args: [mergedBlobs], env });

  expect(merged.exitCode, merged.output).toBe(0);
  expect(merged.output).toContain('== load: 2 slice(s) added up ==');
  const summary = JSON.parse(readFileSync(join(merged.reportsDir, 'load', 'summary.json'), 'utf8')) as LoadSummary;
  expect(summary).toMatchObject({ users: 24, connected: 24, verifiedRuns: 24, verifiedEvents: 24 * 6, errorRate: 0, leaks: 0 });
  expect(readFileSync(join(merged.reportsDir, 'load', 'index.html'), 'utf8')).toContain('24 users in 2 slice(s)');
});
