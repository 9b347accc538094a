import { createServer, type Server } from 'node:net';
import { test, expect } from '@playwright/test';
import { preflight } from '../../support/config/preflight.ts';
import { PreflightFailure, StageFailure } from '../../support/verdict/stages.ts';

const EXTERNAL = { TARGET: 'external', TEST_USER_EMAIL: 'alice@example.com', TEST_USER_PASSWORD: 'alice-password' };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

test.describe('preflight', () => {
  test('missing settings fail the config stage, all of them in one error, before anything is contacted', async () => {
    const started = performance.now();
    await expect(preflight({ TARGET: 'external' })).rejects.toThrow(
      /^\[stage:config\] 3 setting\(s\) missing or malformed; nothing was started:\n  - BASE_URL is not set .*\n  - TEST_USER_EMAIL is not set .*\n  - TEST_USER_PASSWORD is not set /,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("a preflight failure is its message alone: no frame of the harness's source for Playwright to print as a code frame", async () => {
    const failure = await preflight({ TARGET: 'external' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PreflightFailure);
    expect((failure as PreflightFailure).stack).toBe(`StageFailure: ${(failure as PreflightFailure).message}`);
  });

  test('a failure raised by the harness while testing keeps its stack, which locates the problem', () => {
    expect(new StageFailure('agent-events', 'tool_completed never arrived').stack).toMatch(/\n\s+at .*preflight\.spec\.ts/);
  });

  test('a refused BASE_URL fails the infrastructure stage, naming the address and the reason', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    await expect(preflight({ ...EXTERNAL, BASE_URL: `http://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`^\\[stage:infrastructure\\] .*\\n  - BASE_URL is unreachable: http://127\\.0\\.0\\.1:${port}/health: ECONNREFUSED`),
    );
  });

  test('a BASE_URL that accepts but never answers fails the infrastructure stage within 5 s', async () => {
    const silent = createServer(() => {});
    const port = await listen(silent);
    const started = performance.now();
    try {
      await expect(preflight({ ...EXTERNAL, BASE_URL: `http://127.0.0.1:${port}` })).rejects.toThrow(/\[stage:infrastructure\].*no answer within 3000 ms/s);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });
});
