import { jsonMapSetting } from '../json-setting.ts';

/** The id fields a service may call by other names (WS_ID_NAMES), e.g. run_id → runId. */
export const RENAMEABLE_IDS = ['run_id', 'thread_id', 'user_id', 'execution_id', 'connection_id'] as const;
export type RenameableId = (typeof RENAMEABLE_IDS)[number];
export type IdNames = Readonly<Partial<Record<RenameableId, string>>>;

function isRenameableId(name: string): name is RenameableId {
  return (RENAMEABLE_IDS as readonly string[]).includes(name);
}

function problemOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'must be a JSON object such as {"run_id":"runId"}';
  const unknown = Object.keys(json).filter((name) => !isRenameableId(name));
  if (unknown.length > 0) return `names unknown id(s) ${unknown.map((name) => `'${name}'`).join(', ')}; it may rename: ${RENAMEABLE_IDS.join(', ')}`;
  const names = Object.values(json);
  if (names.some((name) => typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))) {
    return 'gives an id a name that is not an identifier such as runId';
  }
  const sent = RENAMEABLE_IDS.map((id) => (json as IdNames)[id] ?? id);
  if (new Set(sent).size !== sent.length) return 'would send two ids under one name; give each id a name of its own';
  return undefined;
}

/** `WS_ID_NAMES={"run_id":"runId",…}`: JSON, contract id → the name sent and read. */
export const idNamesSetting = jsonMapSetting<IdNames>('{"run_id":"runId"}', problemOf).default({});

/** A frame's fields with each renamed id under its sent name; other fields as they were. */
export function withSentIdNames(fields: Record<string, unknown>, names: IdNames): Record<string, unknown> {
  if (Object.keys(names).length === 0) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [(isRenameableId(key) ? names[key] : undefined) ?? key, value]));
}

/**
 * A client frame with its thread id read under the sent name, at the root and under `payload`, and put
 * back as `thread_id`; a `thread_id` sent under the contract's name is not this service's and is dropped.
 */
export function threadIdRead(frame: Record<string, unknown>, names: IdNames): Record<string, unknown> {
  const sentName = names.thread_id;
  if (sentName === undefined) return frame;
  const rename = (fields: Record<string, unknown>) => {
    const { [sentName]: threadId, thread_id: _contractName, ...rest } = fields;
    return threadId === undefined ? rest : { ...rest, thread_id: threadId };
  };
  const payload = frame.payload;
  const renamed = rename(frame);
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? { ...renamed, payload: rename(payload as Record<string, unknown>) }
    : renamed;
}
