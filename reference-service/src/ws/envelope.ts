/** Where a server frame's fields go: beside `type` at the root, or wrapped under `payload` or `data`. */
export const ENVELOPES = ['root', 'payload', 'data'] as const;
export type Envelope = (typeof ENVELOPES)[number];

export interface Frame {
  type: string;
  [field: string]: unknown;
}

/** `{type, ...fields}` as this service sends it: unchanged for `root`, else `{type, <envelope>: fields}`. */
export function inEnvelope(frame: Frame, envelope: Envelope): Record<string, unknown> {
  if (envelope === 'root') return frame;
  const { type, ...fields } = frame;
  return { type, [envelope]: fields };
}
