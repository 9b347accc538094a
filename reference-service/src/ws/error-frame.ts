import type { Frame } from './envelope.ts';

/**
 * How an error frame reads: the contract's `{"type":"error","code","message"}`, or the later product's
 * `{"type":"error","error":"<text>"}`, whose text starts with the code so a client can still tell errors apart.
 */
export const ERROR_FRAMES = ['contract', 'error-field'] as const;
export type ErrorFrame = (typeof ERROR_FRAMES)[number];

export function inErrorShape(frame: Frame, shape: ErrorFrame): Frame {
  if (shape === 'contract' || frame.type !== 'error') return frame;
  const { code, message, ...fields } = frame;
  return { ...fields, error: `${String(code)}: ${String(message)}` };
}
