import { activeProtocol, type Envelope, type ProtocolProfile } from './profile.ts';

export interface NormalisedFrame {
  type: string;
  envelope: Envelope;
  /** Every field, lifted to one level whatever the envelope, ids under their contract names; `type` included. */
  fields: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Lifts a frame's fields to one level and gives them the contract's names. The type is read at the
 * profile's type key (WS_TYPE_KEY), and from inside a wrapper frame (`{"type":"system_message","event":
 * "agent_thinking",…}`, WS_WRAPPERS); `{"type":"x","payload":{...}}` and `{"type":"x","data":{...}}` become
 * the root form, root fields other than the wrapper staying (e.g. a run_id beside the payload), the
 * wrapped value winning where both name a field; ids the service names its own way (WS_ID_FIELDS) are
 * also put under the contract's names, and an event it names differently (EVENT_NAME_MAP) gets its
 * contract name. The raw frame keeps the service's forms. Anything that is not an object with a string
 * type becomes type `__invalid__`, so a check downstream reports it instead of a crash here. Every
 * envelope is lifted whatever the profile says: whether the form was the expected one is checked on the
 * welcome frame (see run-observer), where a wrong WS_ENVELOPE can be named as such.
 */
export function normaliseFrame(raw: unknown, profile: ProtocolProfile = activeProtocol()): NormalisedFrame {
  const serviceType = isObject(raw) ? raw[profile.typeKey] : undefined;
  if (!isObject(raw) || typeof serviceType !== 'string') {
    return { type: '__invalid__', envelope: 'root', fields: { type: '__invalid__', raw } };
  }
  const { frame, innerType } = unwrap(raw, serviceType, profile);
  const type = contractName(innerType, profile);
  let envelope: Envelope = 'root';
  let fields = frame;
  for (const wrapper of ['payload', 'data'] as const) {
    const wrapped = frame[wrapper];
    if (isObject(wrapped)) {
      const { [wrapper]: _wrapper, ...root } = frame;
      fields = { ...root, ...wrapped };
      envelope = wrapper;
      break;
    }
  }
  fields = withContractIds(fields, profile.idFields);
  // The common case, a root frame of the contract's shape, is its own field set: no copy per frame.
  return { type, envelope, fields: fields === raw && type === raw.type ? raw : { ...fields, type } };
}

/** A wrapper frame's real type, and the frame without the key that held it. */
function unwrap(raw: Record<string, unknown>, serviceType: string, profile: ProtocolProfile) {
  const innerKey = profile.wrappers[serviceType];
  const innerType = innerKey === undefined ? undefined : raw[innerKey];
  if (typeof innerType !== 'string') return { frame: raw, innerType: serviceType };
  const { [innerKey!]: _inner, ...frame } = raw;
  return { frame, innerType };
}

function withContractIds(fields: Record<string, unknown>, idFields: Readonly<Record<string, string>>): Record<string, unknown> {
  let renamed = fields;
  for (const contract in idFields) {
    const value = fields[idFields[contract]!];
    if (value !== undefined) {
      if (renamed === fields) renamed = { ...fields };
      renamed[contract] = value;
    }
  }
  return renamed;
}

function contractName(serviceName: string, profile: ProtocolProfile): string {
  for (const contract in profile.eventNames) if (profile.eventNames[contract] === serviceName) return contract;
  return serviceName;
}
