import { valueAt } from '../json/value-at.ts';
import { activeProtocol } from '../protocol/profile.ts';

/** Every path under `value` that holds text, for the message that says which ANSWER_PATH to set. */
function textPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [path];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => textPaths(inner, `${path}.${key}`));
}

/**
 * The answer text of a run's agent_completed, read at ANSWER_PATH. Anything but text there fails with
 * the paths that do hold text, so an object answer reads as a setting to change, not as "undefined".
 */
export function answerAt(completion: Record<string, unknown>, path: string = activeProtocol().answerPath): string {
  const value = valueAt(completion, path);
  if (typeof value === 'string') return value;
  const candidates = textPaths(value, path);
  if (value === undefined) throw new Error(`agent_completed has no answer at ${path} (ANSWER_PATH): its fields are ${Object.keys(completion).join(', ')}`);
  throw new Error(
    `agent_completed carries ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`} at ${path}, not the answer text: ${
      candidates.length > 0 ? `set ANSWER_PATH to the path of the text, e.g. ${candidates.slice(0, 3).join(' or ')}` : 'nothing under it is text'
    }`,
  );
}
