import { test, expect } from '../../fixtures/index.ts';
import { listKeptContainers, removeKeptContainers } from '../../support/stack/kept-containers.ts';
import { runHarness } from '../../support/self-test/nested-run.ts';

test.describe.configure({ timeout: 120_000 });

test('LOCAL_STACK_REUSE keeps the containers, the next run takes them up, and stack:down removes them', async ({ settings }, testInfo) => {
  test.skip(settings.target !== 'local', 'starts local containers');
  // A developer's setting, refused in CI: the nested runs are a developer's runs.
  const env = { LOCAL_STACK_REUSE: 'true', CI: '' };
  // Two workers starting their stacks at the same moment: they must still end up with one Postgres and
  // one Redis between them, not one pair each.
  const args = ['--project=e2e', 'tests/health/readiness.spec.ts', '-g', 'reports both dependencies ready', '--repeat-each=2', '--workers=2'];
  await removeKeptContainers();
  try {
    const first = await runHarness({ dir: testInfo.outputPath('first'), args, env });
    expect(first.exitCode, first.output).toBe(0);
    const kept = (await listKeptContainers()).map(({ id }) => id).sort();
    expect(kept, 'one Postgres and one Redis, shared by both workers, outlive the run').toHaveLength(2);

    const second = await runHarness({ dir: testInfo.outputPath('second'), args, env });
    expect(second.exitCode, second.output).toBe(0);
    expect((await listKeptContainers()).map(({ id }) => id).sort(), 'the second run used the same containers').toEqual(kept);
  } finally {
    await removeKeptContainers();
  }
  expect(await listKeptContainers()).toEqual([]);
});
