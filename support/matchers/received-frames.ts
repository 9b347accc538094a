import type { TranscriptEntry } from '../protocol/sequence.ts';

/** Matchers take a recording socket or its transcript. */
export type TranscriptSource = { frames: readonly TranscriptEntry[] } | readonly TranscriptEntry[];

export function receivedFrames(received: TranscriptSource): readonly TranscriptEntry[] {
  return Array.isArray(received) ? received : (received as { frames: readonly TranscriptEntry[] }).frames;
}

export function formatViolations(violations: ReadonlyArray<{ rule: string; message: string }>): string {
  return violations.map((violation) => `  - [${violation.rule}] ${violation.message}`).join('\n');
}
