/** The key that holds a frame's type, in both directions: the contract's `type`, or `event` as some services name it. */
export const TYPE_KEYS = ['type', 'event'] as const;
export type TypeKey = (typeof TYPE_KEYS)[number];

/** A frame written with `type`, as sent under this key. */
export function withTypeKey(frame: Record<string, unknown>, typeKey: TypeKey): Record<string, unknown> {
  if (typeKey === 'type') return frame;
  const { type, ...fields } = frame;
  return { [typeKey]: type, ...fields };
}

/**
 * A client frame as the contract reads it: its type moved from this key to `type`. A `type` the client
 * put beside it is dropped, so a frame that names its type under the wrong key has none.
 */
export function typeKeyRead(frame: Record<string, unknown>, typeKey: TypeKey): Record<string, unknown> {
  if (typeKey === 'type') return frame;
  const { [typeKey]: type, type: _ignored, ...fields } = frame;
  return { ...fields, type };
}
