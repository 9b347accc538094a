import { z } from 'zod';

/**
 * A setting whose value is a JSON map (EVENT_NAMES, WS_ID_NAMES): text that is not JSON, or a map
 * `problemOf` finds unusable, is one problem named in the startup line.
 */
export function jsonMapSetting<Names extends Readonly<Partial<Record<string, string>>>>(example: string, problemOf: (json: unknown) => string | undefined) {
  return z.string().transform((text, context): Names => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: `is not JSON; write an object such as ${example}` });
      return z.NEVER;
    }
    const problem = problemOf(json);
    if (problem) {
      context.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return json as Names;
  });
}
