// Verdicts of runs like the suite's, built by the real decideVerdict (not hand-written JSON that could
// drift from what a run writes), for the claim-audit tests of both projects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideVerdict, type TestRecord, type Verdict } from '../../support/verdict/verdict.ts';
import type { Stage } from '../../support/verdict/stages.ts';

export const STATUS_UPDATES = join(import.meta.dirname, 'fixtures', 'status-updates');

export function statusUpdate(name: 'chat-restored.md' | 'staging-escalation.md'): string {
  return readFileSync(join(STATUS_UPDATES, name), 'utf8');
}

const STARTED = new Date('2026-11-22T10:00:00.000Z');

function timings(...stages: Stage[]): TestRecord['stageTimings'] {
  return stages.map((stage) => ({ stage, durationMs: 25 }));
}

function test(title: string, tags: string[], stages: Stage[], failure?: TestRecord['failure']): TestRecord {
  return { title, tags, outcome: failure ? 'unexpected' : 'expected', attempts: failure ? 2 : 1, durationMs: 400, failure, stageTimings: timings(...stages) };
}

/** What the service dropping tool_completed does to the golden path (LOCAL_SERVICE_FAULTS=drop_event:tool_completed). */
export const DROPPED_TOOL_COMPLETED = {
  stage: 'agent-events' as const,
  message:
    '[stage:agent-events] Expected: agent_started (first) → agent_thinking (≥1) → tool_executing → tool_completed (same execution_id) → … → agent_completed (exactly once, last), for run 78e938a4 of user 18f5f81f\n' +
    'Violations:\n  - [missing-event] tool_completed never arrived',
};

const GOLDEN_PATH: Stage[] = ['auth', 'websocket', 'agent-events', 'ai-response', 'ui', 'latency'];

/** The target of these runs: the staging service the fixtures' updates describe. */
export const STAGING = { kind: 'external', url: 'https://staging.example.com', profile: 'staging', service: 'version 2.3.0', differences: [] } as const;

/** The same run's verdict as if it had been made against the bundled reference service. */
export function asLocalRun(verdict: Verdict): Verdict {
  return { ...verdict, target: { kind: 'local', url: undefined, profile: undefined, service: 'bundled reference service', differences: [] } };
}

function runVerdict(tests: TestRecord[], reportUrl?: string): Verdict {
  return decideVerdict({
    tests,
    runErrors: [],
    runStatus: tests.some((record) => record.outcome === 'unexpected') ? 'failed' : 'passed',
    startedAt: STARTED,
    finishedAt: new Date(STARTED.getTime() + 41_000),
    target: { ...STAGING, differences: [] },
    harness: { version: '0.1.0', commit: '0123456789abcdef0123' },
    reportUrl,
  });
}

/** A green run: every stage reached and passed. */
export function passingVerdict(reportUrl?: string): Verdict {
  return runVerdict(
    [
      test('golden path in the browser', ['@golden-path', '@smoke'], GOLDEN_PATH),
      test('golden path over the API', ['@golden-path', '@smoke'], GOLDEN_PATH),
      test('usage report is summed and stored', ['@golden-path'], [...GOLDEN_PATH, 'persistence']),
      test('an expired token is refused', ['@smoke'], ['auth', 'security']),
      test('readiness reports both dependencies', ['@smoke'], ['infrastructure']),
      test('two users each see only their own run', ['@smoke'], ['auth', 'websocket', 'agent-events', 'isolation']),
    ],
    reportUrl,
  );
}

/**
 * A run against a service that drops tool_completed: every run fails at agent-events, so the answer, the
 * answer on the page, storage and isolation are never reached (the verdict still calls ui passed: the
 * page rendered before the failure); logins, refusals and readiness pass.
 */
export function droppedEventVerdict(reportUrl?: string): Verdict {
  return runVerdict(
    [
      // The browser test renders the login page and the chat (ui) before it waits for the events.
      test('golden path in the browser', ['@golden-path', '@smoke'], ['auth', 'websocket', 'ui', 'agent-events'], DROPPED_TOOL_COMPLETED),
      test('golden path over the API', ['@golden-path', '@smoke'], ['auth', 'websocket', 'agent-events'], DROPPED_TOOL_COMPLETED),
      test('two users each see only their own run', ['@smoke'], ['auth', 'websocket', 'agent-events'], DROPPED_TOOL_COMPLETED),
      test('an expired token is refused', ['@smoke'], ['auth', 'security']),
      test('readiness reports both dependencies', ['@smoke'], ['infrastructure']),
    ],
    reportUrl,
  );
}

/** A green run whose completion was past its degraded threshold. */
export function degradedVerdict(): Verdict {
  const slow = {
    ...test('golden path over the API', ['@golden-path'], GOLDEN_PATH),
    degradations: ['completion took 6200.0 ms, over the 5000 ms degraded threshold'],
  };
  return runVerdict([
    slow,
    test('an expired token is refused', ['@smoke'], ['auth', 'security']),
    test('readiness reports both dependencies', [], ['infrastructure']),
  ]);
}
