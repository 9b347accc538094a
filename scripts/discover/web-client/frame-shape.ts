import { isObject, parseJson, type Json } from './json-paths.ts';
import type { RecordedWebSocketFrame } from './recording.ts';

/** Keys services put a frame's type under, the contract's first. */
const TYPE_KEYS = ['type', 'event', 'kind', 'op', 'action'];
/** The contract's id fields, each with the names services give it. Names decide: values differ per run and prove nothing alone. */
const ID_NAMES: ReadonlyArray<[string, RegExp]> = [
  ['run_id', /^run_?id$/i],
  ['thread_id', /^(thread|conversation|chat)_?id$/i],
  ['user_id', /^user_?id$/i],
  ['execution_id', /^(execution|call|tool_?call|invocation)_?id$/i],
  ['request_id', /^request_?id$/i],
  ['connection_id', /^connection_?id$/i],
];
const ENVELOPES = ['payload', 'data'] as const;

export interface ParsedFrame {
  at: number;
  direction: 'sent' | 'received';
  raw: Record<string, Json>;
}

/** How the service shapes a frame: the key of its type, the wrappers that carry a real type inside, and its id names. */
export interface FrameShape {
  typeKey: string;
  /** Wrapper type → the key of the real type inside it (`system_message` → `event`). */
  wrappers: Record<string, string>;
  /** Contract id → the service's name, for those named differently. */
  idFields: Record<string, string>;
}

export function parseFrames(frames: readonly RecordedWebSocketFrame[]): ParsedFrame[] {
  return frames.flatMap(({ at, direction, text }) => {
    const raw = parseJson(text);
    return isObject(raw) && !Array.isArray(raw) ? [{ at, direction, raw }] : [];
  });
}

/**
 * The frame shape of a conversation: the type key is the one every frame carries as a string (in both
 * directions); a wrapper is a type whose frames carry another type key with an event-like name in it; the
 * id names are the id-like keys of the frames (at the root or in their envelope), read by their names.
 */
export function frameShape(frames: readonly ParsedFrame[]): FrameShape {
  const typeKey = TYPE_KEYS.find((key) => frames.length > 0 && frames.every(({ raw }) => typeof raw[key] === 'string')) ?? 'type';
  const wrappers: Record<string, string> = {};
  const byType = new Map<string, ParsedFrame[]>();
  for (const frame of frames.filter(({ direction }) => direction === 'received')) {
    const type = String(frame.raw[typeKey]);
    byType.set(type, [...(byType.get(type) ?? []), frame]);
  }
  for (const [type, ofType] of byType) {
    const inner = TYPE_KEYS.find((key) => key !== typeKey && ofType.every(({ raw }) => typeof raw[key] === 'string' && /^[a-z][\w.]*$/i.test(raw[key])));
    if (inner) wrappers[type] = inner;
  }
  const idFields: Record<string, string> = {};
  for (const { raw } of frames) {
    for (const key of Object.keys(lifted(raw))) {
      const contract = ID_NAMES.find(([, pattern]) => pattern.test(key))?.[0];
      if (contract && contract !== key && idFields[contract] === undefined) idFields[contract] = key;
    }
  }
  return { typeKey, wrappers, idFields };
}

/** The type a frame really has: inside its wrapper when it is one. */
export function realType(raw: Record<string, Json>, shape: FrameShape): string {
  const type = String(raw[shape.typeKey]);
  const inner = shape.wrappers[type];
  return inner ? String(raw[inner]) : type;
}

/**
 * The frame as the contract writes it, event names aside: `type` holds its real type, the wrapper's key
 * is gone, and ids carry the contract's names (at the root and in the envelope, which stays).
 */
export function contractView(raw: Record<string, Json>, shape: FrameShape): Record<string, Json> {
  const type = realType(raw, shape);
  const inner = shape.wrappers[String(raw[shape.typeKey])];
  const renamed = (fields: Record<string, Json>) => {
    const service = Object.fromEntries(Object.entries(shape.idFields).map(([contract, name]) => [name, contract]));
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [service[key] ?? key, value]));
  };
  const { [shape.typeKey]: _type, ...rest } = raw;
  if (inner) delete rest[inner];
  const view = renamed(rest);
  for (const envelope of ENVELOPES) if (isObject(view[envelope]) && !Array.isArray(view[envelope])) view[envelope] = renamed(view[envelope]);
  return { type, ...view };
}

/** Every field at one level: the envelope's over the root's (as the harness reads a frame). */
export function lifted(raw: Record<string, Json>): Record<string, Json> {
  for (const envelope of ENVELOPES) {
    const wrapped = raw[envelope];
    if (isObject(wrapped) && !Array.isArray(wrapped)) return { ...raw, ...wrapped };
  }
  return raw;
}
