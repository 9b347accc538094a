import type { ExpectMatcherState } from '@playwright/test';
import { EXPECTED_SEQUENCE, checkRun, formatTranscript, type RunExpectation } from '../protocol/sequence.ts';
import { formatViolations, receivedFrames, type TranscriptSource } from './received-frames.ts';

/** The run has all five critical events, in order, with valid fields, bound to this user (and thread). */
export function toHaveCompleteRun(this: ExpectMatcherState, received: TranscriptSource, expected: RunExpectation) {
  const transcript = receivedFrames(received);
  const violations = checkRun(transcript, expected);
  const pass = violations.length === 0;
  const subject = `run ${String(expected.runId)} of user ${expected.userId}`;
  return {
    name: 'toHaveCompleteRun',
    pass,
    message: () =>
      pass
        ? `Expected ${subject} not to be complete, but it is:\n${formatTranscript(transcript)}`
        : // The first line names what broke: it is the line a verdict quotes.
          `The ${subject} broke the event rules: ${violations.map(({ message }) => message).join('; ')}\n` +
          `Expected: ${EXPECTED_SEQUENCE}, for ${subject}\n` +
          `Received:\n${formatTranscript(transcript)}\n` +
          `Violations:\n${formatViolations(violations)}`,
  };
}
