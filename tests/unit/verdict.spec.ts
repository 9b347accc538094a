import { test, expect } from '@playwright/test';
import { decideVerdict, verdictMarkdown, type TestRecord, type VerdictInput } from '../../support/verdict/verdict.ts';

const STARTED = new Date('2026-11-22T10:00:00.000Z');

function passed(title: string, timings: TestRecord['stageTimings'] = [], tags: string[] = ['@golden-path']): TestRecord {
  return { title, tags, outcome: 'expected', attempts: 1, durationMs: 900, stageTimings: timings };
}

function failed(title: string, failure: TestRecord['failure'], outcome: TestRecord['outcome'] = 'unexpected'): TestRecord {
  return { title, tags: [], outcome, attempts: outcome === 'flaky' ? 2 : 1, durationMs: 1200, failure, stageTimings: [] };
}

function input(overrides: Partial<VerdictInput>): VerdictInput {
  return {
    tests: [],
    runErrors: [],
    runStatus: 'passed',
    startedAt: STARTED,
    finishedAt: new Date(STARTED.getTime() + 12_345),
    target: {
      kind: 'external',
      url: 'https://staging.example.com',
      profile: 'staging',
      service: 'version 1.4.2',
      differences: ['event fields wrapped in payload'],
    },
    harness: { version: '0.1.0', commit: '0123456789abcdef0123' },
    reportUrl: undefined,
    ...overrides,
  };
}

const GOLDEN_TIMINGS: TestRecord['stageTimings'] = [
  { stage: 'auth', durationMs: 120 },
  { stage: 'websocket', durationMs: 40 },
  { stage: 'agent-events', durationMs: 300 },
  { stage: 'ai-response', durationMs: 2 },
];

test.describe('decideVerdict', () => {
  test('a run where every test passed is a PASS, with the time of each stage the golden path went through', () => {
    const verdict = decideVerdict(
      input({ tests: [passed('api golden path', GOLDEN_TIMINGS), passed('health', [{ stage: 'infrastructure', durationMs: 10 }], [])] }),
    );

    expect(verdict).toMatchObject({ verdict: 'PASS', outcome: 'passed', failingStage: null, category: null, reason: null, durationMs: 12_345 });
    expect(verdict.tests).toEqual({ total: 2, passed: 2, failed: 0, flaky: 0, skipped: 0 });
    expect(verdict.stages).toContainEqual({ stage: 'agent-events', status: 'passed', durationMs: 300 });
    expect(verdict.stages).toContainEqual({ stage: 'config', status: 'passed', durationMs: 0 });
    // Only golden-path tests count toward a stage's time; the health test reached the stage all the same.
    expect(verdict.stages).toContainEqual({ stage: 'infrastructure', status: 'passed', durationMs: 0 });
    expect(verdict.stages).toContainEqual({ stage: 'security', status: 'not run', durationMs: 0 });
  });

  test('the failing stage is the earliest in the golden path, whatever order the failures came in', () => {
    const verdict = decideVerdict(
      input({
        tests: [
          failed('latency', { stage: 'latency', message: '[stage:latency] completion took 12000 ms' }),
          failed('browser golden path', { stage: 'agent-events', message: '[stage:agent-events] agent_completed never arrived\nExpected: ...' }),
          failed('ui', { stage: 'ui', message: '[stage:ui] the answer was not rendered' }),
        ],
      }),
    );

    expect(verdict).toMatchObject({
      verdict: 'FAIL',
      outcome: 'failed',
      failingStage: 'agent-events',
      category: 'Agent events',
      reason: '[stage:agent-events] agent_completed never arrived',
    });
    expect(verdict.stages.filter((stage) => stage.status === 'failed').map((stage) => stage.stage)).toEqual(['agent-events', 'ui', 'latency']);
  });

  test('a cross-cutting failure alone names its own stage', () => {
    const verdict = decideVerdict(
      input({
        tests: [passed('api', GOLDEN_TIMINGS), failed('alg none', { stage: 'security', message: '[stage:security] the service accepted an alg:none token' })],
      }),
    );
    expect(verdict).toMatchObject({ verdict: 'FAIL', failingStage: 'security', category: 'Security' });
  });

  test('a preflight error fails the run at its stage, and no other stage counts as run', () => {
    const verdict = decideVerdict(
      input({ runStatus: 'failed', runErrors: [{ stage: 'infrastructure', message: '[stage:infrastructure] 1 problem(s) before the run' }] }),
    );

    expect(verdict).toMatchObject({ verdict: 'FAIL', failingStage: 'infrastructure', category: 'Infrastructure' });
    expect(verdict.stages.map((stage) => stage.status)).toEqual([
      'not run',
      'failed',
      'not run',
      'not run',
      'not run',
      'not run',
      'not run',
      'not run',
      'not run',
      'not run',
      'not run',
    ]);
  });

  test('a config failure names every problem, not only the heading above them', () => {
    const message =
      '[stage:config] 2 setting(s) missing or malformed; nothing was started:\n  - BASE_URL is not set\n  - WS_AUTH must be one of subprotocol, header, query, ticket';
    const verdict = decideVerdict(input({ runStatus: 'failed', runErrors: [{ stage: 'config', message }] }));
    expect(verdict.reason).toBe(
      '[stage:config] 2 setting(s) missing or malformed; nothing was started: BASE_URL is not set; WS_AUTH must be one of subprotocol, header, query, ticket',
    );
  });

  test('a failure without a stage marker is unattributed, not hidden', () => {
    const verdict = decideVerdict(input({ tests: [failed('timeout', { message: 'Test timeout of 30000ms exceeded.' })] }));
    expect(verdict).toMatchObject({ verdict: 'FAIL', failingStage: 'unattributed', category: 'Unattributed', reason: 'Test timeout of 30000ms exceeded.' });
  });

  test('a test that passed on re-run makes the run flaky, not failed, and its first failure is kept', () => {
    const verdict = decideVerdict(
      input({ tests: [passed('api', GOLDEN_TIMINGS), failed('browser', { stage: 'ui', message: '[stage:ui] the chat did not render' }, 'flaky')] }),
    );

    expect(verdict).toMatchObject({ verdict: 'PASS', outcome: 'flaky', failingStage: null, tests: { flaky: 1, failed: 0 } });
    expect(verdict.flakes).toEqual([{ test: 'browser', stage: 'ui', message: '[stage:ui] the chat did not render' }]);
  });

  test('latency past a degraded threshold passes the run as degraded, and names what was slow', () => {
    const slow = { ...passed('api', GOLDEN_TIMINGS), degradations: ['completion took 6200.0 ms, over the 5000 ms threshold'] };
    const verdict = decideVerdict(input({ tests: [slow, passed('browser', GOLDEN_TIMINGS)] }));

    expect(verdict).toMatchObject({ verdict: 'PASS', outcome: 'degraded', failingStage: null });
    expect(verdict.degradations).toEqual([{ test: 'api', message: 'completion took 6200.0 ms, over the 5000 ms threshold' }]);
    expect(verdictMarkdown(verdict)).toContain('### Golden path: ✅ PASS (degraded: slower than it should be)');
  });

  test('a run in which no test passed is a FAIL, also with nothing failing', () => {
    expect(decideVerdict(input({ tests: [] }))).toMatchObject({ verdict: 'FAIL', failingStage: null, reason: expect.stringMatching(/no test passed/) });
    expect(decideVerdict(input({ tests: [{ ...passed('skipped'), outcome: 'skipped' }] }))).toMatchObject({ verdict: 'FAIL' });
  });

  test('an interrupted run is a FAIL even when what ran passed', () => {
    expect(decideVerdict(input({ runStatus: 'interrupted', tests: [passed('api', GOLDEN_TIMINGS)] }))).toMatchObject({
      verdict: 'FAIL',
      reason: 'the run ended as interrupted',
    });
  });
});

test.describe('verdictMarkdown', () => {
  test('a failed run: the headline names the stage, the table shows each stage, failures are listed, the link is there', () => {
    const markdown = verdictMarkdown(
      decideVerdict(
        input({
          reportUrl: 'https://example.github.io/reports/42/',
          tests: [
            passed('api', GOLDEN_TIMINGS),
            failed('browser › answer', { stage: 'ai-response', message: '[stage:ai-response] expected 16391300 | got `fallback`' }),
          ],
        }),
      ),
    );

    expect(markdown).toContain('### Golden path: ❌ FAIL at **ai-response** (AI response)');
    expect(markdown).toContain('> Claim: A user logs in and gets an AI response.');
    expect(markdown).toContain('Target: `https://staging.example.com`, version 1.4.2, external, profile staging · harness 0.1.0 @ 0123456789ab');
    expect(markdown).toContain('Allowed to differ from the contract: event fields wrapped in payload.');
    expect(markdown).toContain('| agent-events | ✅ passed | 300 ms |');
    expect(markdown).toContain('| ai-response | ❌ failed | 2 ms |');
    expect(markdown).toContain('| security | ⏭️ not run | – |');
    expect(markdown).toContain("- browser › answer: [stage:ai-response] expected 16391300 \\| got 'fallback'");
    expect(markdown).toContain('[Full report](https://example.github.io/reports/42/)');
  });

  test('a passing run without REPORT_URL says where the report is', () => {
    const markdown = verdictMarkdown(decideVerdict(input({ tests: [passed('api', GOLDEN_TIMINGS)] })));
    expect(markdown).toContain('### Golden path: ✅ PASS');
    expect(markdown).toContain('Tests: 1 passed, 0 failed, 0 flaky, 0 skipped (1 in all).');
    expect(markdown).toContain('No REPORT_URL was set');
    expect(markdown).not.toContain('**Failures**');
  });
});
