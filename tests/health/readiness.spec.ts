import { test, expect } from '../../fixtures/index.ts';
import { postgresContainer, redisContainer, redisUrlOf } from '../../support/stack/containers.ts';
import { requestJson } from '../../support/client/http.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

test('readiness reports both dependencies ready', { tag: ['@smoke'] }, async ({ chatService, settings }) => {
  const response = await requestJson('GET', `${chatService.baseUrl}${settings.readinessPath}`);
  test.skip(response.status === 404, `the target has no readiness endpoint at ${settings.readinessPath} (READINESS_PATH): not checked`);
  await inStage('infrastructure', `GET ${settings.readinessPath} answers 200 with database and redis ok`, async () => {
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});

test.describe('readiness when a dependency dies', () => {
  test.skip(({ settings }) => settings.target !== 'local', 'stops containers: local targets only');
  // Each test starts a container of its own, a service on it, and stops the container: about 6 s in CI,
  // but a container start or stop waits its turn behind everything else the engine is doing.
  test.setTimeout(60_000);

  test('a stopped Redis turns readiness to 503 naming redis', async ({ launchService, settings }) => {
    const redis = await redisContainer(settings.redisImage).start();
    let stopped = false;
    try {
      const service = await launchService({ env: { REDIS_URL: redisUrlOf(redis) } });
      expect((await requestJson('GET', `${service.baseUrl}/health/ready`)).status).toBe(200);
      await redis.stop();
      stopped = true;
      const response = await requestJson('GET', `${service.baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: expect.stringMatching(/^unavailable: /) } });
    } finally {
      if (!stopped) await redis.stop();
    }
  });

  test('a stopped Postgres turns readiness to 503 naming the database', async ({ launchService, settings }) => {
    const postgres = await postgresContainer(settings.postgresImage).start();
    let stopped = false;
    try {
      const service = await launchService({ env: { DATABASE_URL: postgres.getConnectionUri() } });
      expect((await requestJson('GET', `${service.baseUrl}/health/ready`)).status).toBe(200);
      await postgres.stop();
      stopped = true;
      const response = await requestJson('GET', `${service.baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable', checks: { database: expect.stringMatching(/^unavailable: /), redis: 'ok' } });
    } finally {
      if (!stopped) await postgres.stop();
    }
  });
});
