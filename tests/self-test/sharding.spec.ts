import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, expect } from '../../fixtures/index.ts';
import { listFiles } from '../../support/evidence/evidence-files.ts';
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
