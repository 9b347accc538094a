import { valueAt } from './value-at.ts';

/** The values a JSON template of the settings (START_MESSAGE, HANDSHAKE_REPLY, LOGIN_BODY) may name: `{{name}}` or `{{handshake.<path>}}`. */
export interface TemplateValues {
  [name: string]: string | Record<string, unknown> | undefined;
}

const PLACEHOLDER = /\{\{([\w.-]+)\}\}/g;

/** Parsed once per template text: a load run fills the same start message thousands of times. */
const parsedTemplates = new Map<string, unknown>();

/**
 * The template with every `{{name}}` in its string values replaced: a plain name by its value, a dotted
 * one (`{{handshake.thread_id}}`) by the value at that path. A string that is one placeholder and
 * nothing else takes the value as it is (a number stays a number). A placeholder with no value is an
 * error naming it, never an empty string sent to the service.
 */
export function fillTemplate(templateText: string, values: TemplateValues, settingName: string): Record<string, unknown> {
  let template = parsedTemplates.get(templateText);
  if (template === undefined) parsedTemplates.set(templateText, (template = JSON.parse(templateText)));
  const lookUp = (name: string): unknown => {
    const head = name.split('.')[0]!;
    const value = valueAt(values, name);
    if (value === undefined || (typeof value === 'object' && value !== null)) {
      throw new Error(
        `${settingName} names {{${name}}}, which has no value here${head === 'handshake' ? ' (no handshake, or its frame has no such field)' : ''}`,
      );
    }
    return value;
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{([\w.-]+)\}\}$/.exec(value);
      if (whole) return lookUp(whole[1]!);
      return value.replaceAll(PLACEHOLDER, (_match, name: string) => String(lookUp(name)));
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    return value;
  };
  return fill(template) as Record<string, unknown>;
}
