import { test } from '@playwright/test';
import { expect } from '../../support/matchers/index.ts';
import type { LatencyThresholds } from '../../support/protocol/latency.ts';
import { EXPECTED_SEQUENCE, formatTranscript } from '../../support/protocol/sequence.ts';
import { AT, RUN, patched, runEvent, validRun, welcome, without } from './transcripts.ts';

/** The message a failing assertion throws, without the colours Playwright may add. */
function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(/\u001b\[[0-9;]*m/g, '');
  }
  throw new Error('the assertion passed, but it was expected to fail');
}

test.describe('toHaveCompleteRun', () => {
  test('a valid run passes, given as a transcript or as a recording socket', () => {
    expect(validRun()).toHaveCompleteRun(RUN);
    expect({ frames: validRun() }).toHaveCompleteRun(RUN);
  });

  test('an incomplete run fails with the expected sequence, the transcript and every violation', () => {
    const transcript = without(validRun(), AT.thinking, AT.thinkingAgain);

    const message = failureOf(() => expect(transcript).toHaveCompleteRun(RUN));

    expect(message).toContain('The run run-1 of user user-1 broke the event rules: agent_thinking never arrived\n');
    expect(message).toContain(
      `Expected: ${EXPECTED_SEQUENCE}, for run run-1 of user user-1\n` +
        `Received:\n${formatTranscript(transcript)}\n` +
        'Violations:\n' +
        '  - [missing-event] agent_thinking never arrived',
    );
  });

  test('a run with several faults lists one violation per line', () => {
    const transcript = patched(without(validRun(), AT.completed), AT.executing, { user_id: 'user-2' });

    const message = failureOf(() => expect(transcript).toHaveCompleteRun(RUN));

    expect(message).toContain(
      'Violations:\n' +
        '  - [missing-event] agent_completed never arrived\n' +
        '  - [foreign-user] frame 3 (tool_executing) belongs to user user-2, not user-1',
    );
  });

  test('an empty transcript fails showing "(no frames)"', () => {
    expect(() => expect([]).toHaveCompleteRun(RUN)).toThrow(/Received:\n {2}\(no frames\)\nViolations:\n {2}- \[missing-event\] agent_started never arrived/);
  });

  test('.not passes on an incomplete run and fails on a complete one', () => {
    expect(without(validRun(), AT.completed)).not.toHaveCompleteRun(RUN);

    const message = failureOf(() => expect(validRun()).not.toHaveCompleteRun(RUN));

    expect(message).toContain(`Expected run run-1 of user user-1 not to be complete, but it is:\n${formatTranscript(validRun())}`);
  });
});

test.describe('toBeOwnedBy', () => {
  const otherRun = { runId: 'run-2', userId: 'user-2', threadId: 'thread-2' };
  const leaky = [welcome(10), ...validRun(), runEvent(500, 'agent_started', { agent_name: 'reference-agent', task_description: 'secret' }, otherRun)];

  test('a socket with only its user’s frames passes, frames naming no user included', () => {
    expect([welcome(10), { at: 50, frame: { type: 'pong' } }, ...validRun()]).toBeOwnedBy(RUN.userId);
  });

  test('a socket carrying another user’s frame fails with the transcript and the leak', () => {
    const message = failureOf(() => expect({ frames: leaky }).toBeOwnedBy(RUN.userId));

    expect(message).toContain(
      'Expected: only frames of user user-1\n' +
        `Received:\n${formatTranscript(leaky)}\n` +
        'Leaks:\n' +
        '  - [foreign-user] agent_started of run run-2 belongs to user user-2, not user-1',
    );
  });

  test('.not passes on a leaky socket and fails on a clean one', () => {
    expect(leaky).not.toBeOwnedBy(RUN.userId);

    const message = failureOf(() => expect(validRun()).not.toBeOwnedBy(RUN.userId));

    expect(message).toContain(`Expected frames of other users than user-1, but every frame is theirs:\n${formatTranscript(validRun())}`);
  });
});

test.describe('toMeetLatency', () => {
  const thresholds: LatencyThresholds = { connectMs: 2000, firstEventMs: 3000, completionMs: 10_000 };

  test('a run within every threshold passes, at the threshold included', () => {
    expect({ connectMs: 30, firstEventMs: 20, completionMs: 320 }).toMeetLatency(thresholds);
    expect({ connectMs: 2000, firstEventMs: 3000, completionMs: 10_000 }).toMeetLatency(thresholds);
  });

  test('stages never reached do not fail the latency check', () => {
    expect({}).toMeetLatency(thresholds);
  });

  test('a slow run fails with every stage against its threshold and each stage over', () => {
    const message = failureOf(() => expect({ connectMs: 2500.2, firstEventMs: 20 }).toMeetLatency(thresholds));

    expect(message).toContain(
      'Expected: every stage within its threshold\n' +
        'Received:\n' +
        '  connect 2500 ms (≤ 2000 ms), first event 20 ms (≤ 3000 ms), completion not reached (≤ 10000 ms)\n' +
        'Over:\n' +
        '  - [latency] connect took 2500.2 ms, over the 2000 ms threshold',
    );
  });

  test('.not passes on a slow run and fails on a fast one', () => {
    expect({ completionMs: 10_001 }).not.toMeetLatency(thresholds);

    const message = failureOf(() => expect({ connectMs: 30, firstEventMs: 20, completionMs: 320 }).not.toMeetLatency(thresholds));

    expect(message).toContain(
      'Expected a latency over a threshold, but all are within:\n' +
        '  connect 30 ms (≤ 2000 ms), first event 20 ms (≤ 3000 ms), completion 320 ms (≤ 10000 ms)',
    );
  });
});
