/**
 * Just enough HTML reading to find what a page loads: its <script> and <style> elements (whose bodies are
 * not markup), the start tags elsewhere, their attributes, and the content of data: URIs. Not a general
 * parser: the report's pages are machine-written, and the request check that uses this reads every
 * absolute URL inside scripts anyway, so a tag missed here cannot hide a script's request.
 */

export interface RawTextElement {
  tag: 'script' | 'style';
  attributes: Map<string, string>;
  body: string;
  /** Offsets of the whole element, start tag to end tag, in the scanned text. */
  start: number;
  end: number;
}

export interface StartTag {
  name: string;
  attributes: Map<string, string>;
}

// Quoted attribute values may contain '>', so they are consumed whole; the alternatives cannot overlap,
// which keeps the expression linear on long documents (the single-file report is megabytes).
const ATTRIBUTES = `((?:[^>"']|"[^"]*"|'[^']*')*)`;
const RAW_TEXT_ELEMENT = new RegExp(`<(script|style)(?![\\w-])${ATTRIBUTES}>([\\s\\S]*?)</\\1\\s*>`, 'gi');
const START_TAG = new RegExp(`<([a-zA-Z][\\w:-]*)${ATTRIBUTES}>`, 'g');
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const COMMENT = /<!--[\s\S]*?-->/g;

export function rawTextElements(html: string): RawTextElement[] {
  const elements: RawTextElement[] = [];
  for (const match of html.matchAll(RAW_TEXT_ELEMENT)) {
    elements.push({
      tag: match[1]!.toLowerCase() as RawTextElement['tag'],
      attributes: parseAttributes(match[2] ?? ''),
      body: match[3] ?? '',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return elements;
}

/** The start tags outside <script>/<style> bodies and comments (a tag in a comment loads nothing). */
export function startTags(html: string): StartTag[] {
  const markup = html.replace(RAW_TEXT_ELEMENT, '').replace(COMMENT, '');
  return [...markup.matchAll(START_TAG)].map((match) => ({
    name: match[1]!.toLowerCase(),
    attributes: parseAttributes(match[2] ?? ''),
  }));
}

export function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', sol: '/', period: '.' };

/** Entities an attribute could use to spell a URL (`https&colon;&sol;&sol;…`, `&#47;`). */
export function decodeEntities(value: string): string {
  return value.replace(/&(?:#x([0-9a-f]+)|#(\d+)|([a-z]+));?/gi, (entity, hex?: string, decimal?: string, name?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (decimal) return String.fromCodePoint(parseInt(decimal, 10));
    return NAMED_ENTITIES[name!.toLowerCase()] ?? entity;
  });
}

export interface DataUri {
  mimeType: string;
  content: string;
}

/** The decoded content of a `data:` URI (base64 or percent-encoded), or undefined for any other value. */
export function decodeDataUri(value: string): DataUri | undefined {
  const match = /^\s*data:([^,]*?),([\s\S]*)$/i.exec(value);
  if (!match) return undefined;
  const parameters = match[1]!.split(';').map((part) => part.trim().toLowerCase());
  const mimeType = parameters[0] || 'text/plain';
  const payload = match[2]!;
  if (parameters.includes('base64')) return { mimeType, content: Buffer.from(payload, 'base64').toString('utf8') };
  try {
    return { mimeType, content: decodeURIComponent(payload) };
  } catch {
    return { mimeType, content: payload };
  }
}
