import { z } from 'zod';
import type { HarnessSettings } from './model.ts';
import type { FieldPath, Setting } from './setting-table.ts';

/** Declares one row of the settings table, typed against the field it fills. */
export const setting = <Path extends FieldPath<HarnessSettings>, Read>(declaration: Setting<HarnessSettings, Path, Read>) => declaration;

export const wholeMilliseconds = z.coerce
  .number('must be a whole number of milliseconds')
  .int('must be a whole number of milliseconds')
  .positive('must be more than 0 ms');

export const urlPath = z.string().regex(/^\//, 'must be a path starting with /');

export const dottedPath = (example: string) => z.string().regex(/^[\w-]+(\.[\w-]+)*$/, `must be a dotted path, e.g. ${example}`);

export const frameType = z.string().regex(/^[\w.:-]+$/, 'must be a frame type, e.g. handshake_response');

/** JSON text, read as the value it holds. */
const json = (example: string) =>
  z.string().transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: `is not JSON (e.g. ${example})` });
      return z.NEVER;
    }
  });

/** A JSON object of non-empty strings; with `keys`, its keys limited to those. */
export const jsonMap = (example: string, keys?: readonly string[]) =>
  json(example).pipe(
    z
      .record(z.string(), z.string().min(1, 'maps a name to an empty string'), `must be a JSON object of strings, e.g. ${example}`)
      .superRefine((map, context) => {
        const unknown = keys ? Object.keys(map).filter((key) => !keys.includes(key)) : [];
        if (unknown.length > 0) context.addIssue({ code: 'custom', message: `names ${unknown.join(', ')}, which is not one of ${keys!.join(', ')}` });
      }),
  );

/** A JSON object kept as its text (a template the harness fills), which must name every one of `placeholders`. */
export const jsonTemplate = (placeholders: readonly string[]) =>
  z
    .string()
    .refine((template) => isJsonObjectText(template), 'is not a JSON object')
    .superRefine((template, context) => {
      const missing = placeholders.filter((placeholder) => !template.includes(`{{${placeholder}}}`));
      if (missing.length > 0) context.addIssue({ code: 'custom', message: `has no ${missing.map((name) => `{{${name}}}`).join(' or ')}` });
    });

/** A comma-separated list whose items `pattern` limits to `Item`s, read as those items. */
export const commaList = <Item extends string = string>(pattern: RegExp, message: string) =>
  z
    .string()
    .regex(pattern, message)
    .transform((list) => list.split(',').map((item) => item.trim() as Item));

export const trueOrFalse = z
  .enum(['true', 'false'], 'must be true or false')
  .default('false')
  .transform((value) => value === 'true');

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
