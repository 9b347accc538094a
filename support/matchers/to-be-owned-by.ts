import type { ExpectMatcherState } from '@playwright/test';
import { checkOwnership, formatTranscript } from '../protocol/sequence.ts';
import { formatViolations, receivedFrames, type TranscriptSource } from './received-frames.ts';

/** Every frame on the socket that names a user names this one: no cross-user leak. */
export function toBeOwnedBy(this: ExpectMatcherState, received: TranscriptSource, userId: string) {
  const transcript = receivedFrames(received);
  const violations = checkOwnership(transcript, userId);
  const pass = violations.length === 0;
  return {
    name: 'toBeOwnedBy',
    pass,
    message: () =>
      pass
        ? `Expected frames of other users than ${userId}, but every frame is theirs:\n${formatTranscript(transcript)}`
        : `Expected: only frames of user ${userId}\nReceived:\n${formatTranscript(transcript)}\nLeaks:\n${formatViolations(violations)}`,
  };
}
