/** How a service shaped its event: fields at the root, or wrapped in `payload` or `data`. */
export type Envelope = 'root' | 'payload' | 'data';

export interface NormalisedFrame {
  type: string;
  envelope: Envelope;
  /** Every field, lifted to one level whatever the envelope; `type` included. */
  fields: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Lifts a frame's fields to one level. `{"type":"x","payload":{...}}` and `{"type":"x","data":{...}}`
 * become the root form; root fields other than the wrapper stay (e.g. a run_id beside the payload), and
 * the wrapped value wins where both name a field. Anything that is not an object with a string `type`
 * becomes type `__invalid__`, so a check downstream reports it instead of a crash here.
 */
export function normaliseFrame(raw: unknown): NormalisedFrame {
  if (!isObject(raw) || typeof raw.type !== 'string') {
    return { type: '__invalid__', envelope: 'root', fields: { type: '__invalid__', raw } };
  }
  for (const envelope of ['payload', 'data'] as const) {
    const wrapped = raw[envelope];
    if (isObject(wrapped)) {
      const { [envelope]: _wrapper, ...root } = raw;
      return { type: raw.type, envelope, fields: { ...root, ...wrapped, type: raw.type } };
    }
  }
  return { type: raw.type, envelope: 'root', fields: { ...raw } };
}
