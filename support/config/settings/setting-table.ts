import type { z } from 'zod';

/**
 * The dotted path of one field of `T`: an object is a section to go into (`latency.connectMs`), while a
 * value, a list or a record (a map of any keys) is a field of its own.
 */
export type FieldPath<T> = {
  [Key in keyof T & string]: IsSection<T[Key]> extends true ? `${Key}.${FieldPath<NonNullable<T[Key]>>}` : Key;
}[keyof T & string];

type IsSection<Value> =
  NonNullable<Value> extends readonly unknown[] ? false : NonNullable<Value> extends object ? (string extends keyof NonNullable<Value> ? false : true) : false;

/** The type of the field at `Path`, with `undefined` where a section on the way may be absent (`user.email`). */
export type FieldValue<T, Path extends string> = Path extends `${infer Key}.${infer Rest}`
  ? Key extends keyof T
    ? FieldValue<NonNullable<T[Key]>, Rest> | (undefined extends T[Key] ? undefined : never)
    : never
  : Path extends keyof T
    ? T[Path]
    : never;

/** `true` while every field of `T` has a setting in `Table`; else the paths of the fields that have none. */
export type EveryFieldFilled<T, Table extends Record<string, { at: string }>> = [Exclude<FieldPath<T>, Table[keyof Table]['at']>] extends [never]
  ? true
  : Exclude<FieldPath<T>, Table[keyof Table]['at']>;

/**
 * One setting of the environment, declared once: how its text is read (the schema, with its default), how
 * to fix a problem with it, and the field of `T` it fills.
 */
export type Setting<T, Path extends FieldPath<T>, Read = FieldValue<T, Path>> = {
  at: Path;
  /** Shown after any problem with the setting. */
  fix?: string;
  /**
   * What the setting allows the target to do differently from the contract, in words, when it does: the
   * verdict lists these beside a green result, so no setting relaxes a check unseen.
   */
  differs?: (settings: T) => string | undefined;
} & (
  | { schema: z.ZodType<FieldValue<T, Path>> }
  | {
      schema: z.ZodType<Read>;
      /** The field's value where it follows other settings too, e.g. a default derived from another one. */
      resolve: (value: Read, read: T) => FieldValue<T, Path>;
    }
);

/**
 * Builds a `T` from the value read for each setting, put at its field in the order the settings are
 * declared; a `resolve` sees the fields of the settings declared before its own.
 */
export function fillFields<T>(settings: Record<string, { at: string; resolve?: (value: never, read: T) => unknown }>, values: Record<string, unknown>): T {
  const filled = {};
  for (const [name, { at, resolve }] of Object.entries(settings)) put(filled, at, resolve ? resolve(values[name] as never, filled as T) : values[name]);
  return filled as T;
}

/** A section is made for a value to go in, never for an unset one (e.g. no `user` without TEST_USER_EMAIL). */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const field = keys.pop()!;
  let section = target;
  for (const key of keys) {
    if (section[key] === undefined) {
      if (value === undefined) return;
      section[key] = {};
    }
    section = section[key] as Record<string, unknown>;
  }
  section[field] = value;
}
