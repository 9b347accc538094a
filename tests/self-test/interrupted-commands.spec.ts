import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getContainerRuntimeClient } from 'testcontainers';
import { test, expect } from '../../fixtures/index.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Testcontainers' debug log names each container it starts: `[INFO] [<12 hex>] Starting container …`. */
const STARTING_CONTAINER = /\[INFO\] \[([0-9a-f]{12})\] Starting container/g;

interface InterruptedCommand {
  exitCode: number | null;
  containerIds: string[];
  output: string;
}

/**
 * Runs `npm run load` (as `node --import tsx scripts/load.ts`, which is what npm runs) and interrupts it
 * with SIGINT as soon as Testcontainers says its first container is starting: before the stack is up.
 */
function interruptWhileStarting(dir: string): Promise<InterruptedCommand> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/load.ts', '--users', '2', '--ramp', '0'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REPORTS_DIR: dir, DEBUG: 'testcontainers' },
    });
    let output = '';
    let interrupted = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!interrupted && STARTING_CONTAINER.test(output)) {
        interrupted = true;
        child.kill('SIGINT');
      }
      STARTING_CONTAINER.lastIndex = 0;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output, containerIds: [...output.matchAll(STARTING_CONTAINER)].map((match) => match[1]!) });
    });
  });
}

test('npm run load interrupted while its containers start stops them and exits 130', async ({ settings }, testInfo) => {
  test.skip(settings.target !== 'local', 'starts local containers');
  test.setTimeout(120_000);
  const run = await interruptWhileStarting(testInfo.outputPath('reports'));
  expect(run.exitCode, run.output).toBe(130);
  expect(run.containerIds.length, run.output).toBeGreaterThanOrEqual(1);

  const client = await getContainerRuntimeClient();
  const running = await client.container.dockerode.listContainers({ all: true });
  const left = run.containerIds.filter((id) => running.some(({ Id }) => Id.startsWith(id)));
  expect(left, 'containers of the interrupted command still there').toEqual([]);
  expect(run.output).toContain('interrupted: stopping the local stack');
});
