import { test, expect } from '../../fixtures/index.ts';
import { requestJson } from '../../support/client/http.ts';

test.describe('health', () => {
  test('liveness answers while the process runs', async ({ referenceService }) => {
    const response = await requestJson('GET', `${referenceService.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', service: 'netra-reference-service' });
  });

  test('readiness pings both dependencies', async ({ referenceService }) => {
    const response = await requestJson('GET', `${referenceService.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});
