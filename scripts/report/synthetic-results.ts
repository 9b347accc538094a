import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Allure results shaped like the ones allure-playwright writes for this harness (`<uuid>-result.json`
 * per test, with labels, steps and a WebSocket transcript attached as `<uuid>-attachment.json`), for the
 * report's tests and benchmark, which must not depend on a real test run. Test identities (historyId,
 * testCaseId) are stable from one call to the next, so two generations share a history.
 */
export interface SyntheticResultsOptions {
  /** Every n-th test fails (with a stage-attributed message, as StageFailure writes them). */
  failEvery?: number;
  /** When the first test started; the rest follow 120 ms apart. */
  startedAt?: number;
}

const STAGES = ['auth', 'websocket', 'agent-events', 'ai-response', 'ui', 'persistence'] as const;
const AREAS = ['golden-path', 'auth', 'health', 'isolation'] as const;

export async function writeSyntheticAllureResults(resultsDir: string, count: number, options: SyntheticResultsOptions = {}): Promise<void> {
  const { failEvery = 7, startedAt = Date.now() - count * 120 - 1000 } = options;
  await mkdir(resultsDir, { recursive: true });
  const writes: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const area = AREAS[index % AREAS.length]!;
    const stage = STAGES[index % STAGES.length]!;
    const failed = failEvery > 0 && index % failEvery === failEvery - 1;
    const start = startedAt + index * 120;
    const attachmentSource = `${randomUUID()}-attachment.json`;
    const transcript = {
      run_id: randomUUID(),
      frames: ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'].map((type, offset) => ({
        at: start + 20 + offset * 6,
        type,
        ...(type === 'agent_completed' ? { final_response: `${index + 2} * 7 = ${(index + 2) * 7}` } : {}),
      })),
    };
    const step = (name: string, offset: number, steps: object[] = []) => ({
      name,
      status: 'passed',
      stage: 'finished',
      statusDetails: {},
      start: start + offset,
      stop: start + offset + 15,
      steps,
      attachments: [],
      parameters: [],
    });
    const result = {
      uuid: randomUUID(),
      historyId: `synthetic-${area}-${index}`,
      testCaseId: `synthetic-case-${area}-${index}`,
      name: `user ${index} logs in and gets the AI answer`,
      fullName: `tests/${area}/synthetic.spec.ts:${index + 1}:1`,
      titlePath: [`tests/${area}/synthetic.spec.ts`, area],
      status: failed ? 'failed' : 'passed',
      stage: 'finished',
      statusDetails: failed
        ? {
            message: `StageFailure: [stage:${stage}] expected agent_completed exactly once, last; received it twice`,
            trace: `StageFailure: [stage:${stage}] …\n    at inStage (support/verdict/stages.ts:42:11)\n    at tests/${area}/synthetic.spec.ts:${index + 1}:5`,
          }
        : {},
      description: `Synthetic result ${index}: see https://staging.example.com (a URL in text, never fetched).`,
      descriptionHtml: `<p>Synthetic result <b>${index}</b>, stage <code>${stage}</code>.</p>`,
      start,
      stop: start + 100,
      labels: [
        { name: 'suite', value: area },
        { name: 'parentSuite', value: 'e2e' },
        { name: 'feature', value: stage },
        { name: 'tag', value: index % 3 === 0 ? '@smoke' : '@golden-path' },
        { name: 'severity', value: 'critical' },
        { name: 'framework', value: 'playwright' },
        { name: 'language', value: 'javascript' },
        { name: 'host', value: 'ci-runner' },
        { name: 'thread', value: `pid-1-worker-${index % 2}` },
      ],
      links: [{ name: 'contract', url: 'https://example.com/docs/PROTOCOL.md', type: 'link' }],
      parameters: [{ name: 'WS_AUTH', value: 'subprotocol' }],
      steps: [
        step('[stage:auth] log in', 0, [step('POST /auth/login', 2)]),
        step('[stage:websocket] open the socket', 20),
        step('[stage:agent-events] wait for the run', 40),
        step(`[stage:ai-response] check the answer`, 70),
      ],
      attachments: [{ name: 'websocket transcript', type: 'application/json', source: attachmentSource }],
    };
    writes.push(writeFile(join(resultsDir, attachmentSource), JSON.stringify(transcript, null, 2)));
    writes.push(writeFile(join(resultsDir, `${result.uuid}-result.json`), JSON.stringify(result)));
  }
  await Promise.all(writes);
}
