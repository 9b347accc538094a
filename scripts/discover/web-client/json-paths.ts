/** Dotted paths (ANSWER_PATH's form, array indices as numbers) through parsed JSON (one is read with support/json's valueAt). */

export type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null;

/** Every path at which `value` holds a string for which `matches` is true, shallowest first. */
export function pathsWhere(value: Json, matches: (text: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (inner: Json, path: string[]) => {
    if (typeof inner === 'string') {
      if (matches(inner)) found.push(path.join('.'));
    } else if (isObject(inner)) {
      for (const [key, child] of Object.entries(inner)) visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return found.sort((a, b) => a.split('.').length - b.split('.').length);
}

/** Every string leaf with its path. */
export function stringLeaves(value: Json): Array<{ path: string; text: string }> {
  const leaves: Array<{ path: string; text: string }> = [];
  const visit = (inner: Json, path: string[]) => {
    if (typeof inner === 'string') leaves.push({ path: path.join('.'), text: inner });
    else if (isObject(inner)) for (const [key, child] of Object.entries(inner)) visit(child, [...path, key]);
  };
  visit(value, []);
  return leaves;
}

/** What a leaf rewrite returns to leave the field out (a client's timestamp is no part of a template). */
export const OMIT = Symbol('omit');

/** A copy of `value` in which each leaf is what `replace` makes of it: a value to put there, `undefined` to keep it, or OMIT. */
export function rewriteLeaves(value: Json, replace: (leaf: Json, path: string) => Json | typeof OMIT, path: string[] = []): Json {
  if (Array.isArray(value)) return value.map((child, index) => rewriteLeaves(child, replace, [...path, String(index)]));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).flatMap(([key, child]) => {
        const rewritten = rewriteLeaves(child, replace, [...path, key]);
        return rewritten === OMIT ? [] : [[key, rewritten]];
      }),
    );
  }
  const replaced = replace(value, path.join('.'));
  return replaced === undefined ? value : replaced;
}

export function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

export { isObject };
