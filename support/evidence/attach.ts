import type { TestInfo } from '@playwright/test';
import { redact } from './redaction/redact.ts';

/** Attaches evidence to the test, redacted first: no attachment reaches a report any other way. */
export async function attachEvidence(
  testInfo: TestInfo,
  name: string,
  body: string | object,
  contentType = typeof body === 'string' ? 'text/plain' : 'application/json',
): Promise<void> {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  await testInfo.attach(name, { body: redact(text), contentType });
}
