import { activeProtocol, type ProtocolProfile } from './profile.ts';

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
 * the wrapped value wins where both name a field. An event the service names differently (EVENT_NAME_MAP)
 * gets its contract name; the raw frame keeps the service's. Anything that is not an object with a
 * string `type` becomes type `__invalid__`, so a check downstream reports it instead of a crash here.
 * Every form is lifted whatever the profile says: whether the form was the expected one is checked on
 * the welcome frame (see run-observer), where a wrong WS_ENVELOPE can be named as such.
 */
export function normaliseFrame(raw: unknown, profile: ProtocolProfile = activeProtocol()): NormalisedFrame {
  if (!isObject(raw) || typeof raw.type !== 'string') {
    return { type: '__invalid__', envelope: 'root', fields: { type: '__invalid__', raw } };
  }
  const type = contractName(raw.type, profile);
  for (const envelope of ['payload', 'data'] as const) {
    const wrapped = raw[envelope];
    if (isObject(wrapped)) {
      const { [envelope]: _wrapper, ...root } = raw;
      return { type, envelope, fields: { ...root, ...wrapped, type } };
    }
  }
  // The common case, a root frame under its contract name, is its own field set: no copy per frame.
  return { type, envelope: 'root', fields: type === raw.type ? raw : { ...raw, type } };
}

function contractName(serviceName: string, profile: ProtocolProfile): string {
  for (const contract in profile.eventNames) if (profile.eventNames[contract] === serviceName) return contract;
  return serviceName;
}
