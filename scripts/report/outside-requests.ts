import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { ANALYTICS_HOST_PATTERN, GTAG_CALL_PATTERN } from './analytics.ts';
import { decodeDataUri, rawTextElements, startTags } from './html.ts';

/**
 * The check that a generated report makes no request to another host when it is opened: it reads every
 * file of a report and names each place that would. It must be able to fail, and fail precisely, so it
 * tells requests apart from text that merely contains a URL. Each file is read the way the report app
 * uses it:
 *
 * - Markup (.html, .svg, HTML and SVG attachments, markup carried in report data): an outside URL in an
 *   attribute the browser fetches by itself (script/img/iframe/video… src, srcset, poster, object data,
 *   <link href> except link types that fetch nothing, SVG href/xlink:href, <base href>, a meta refresh)
 *   and every url() or @import of a style. Not flagged: <a>/<area> href and <form action>, which go
 *   somewhere only when the reader clicks, attributes that name rather than load
 *   (xmlns="http://www.w3.org/2000/svg"), and text.
 * - Scripts (the app's .js, inline <script>, data:text/javascript): code can fetch any string it holds,
 *   so every absolute URL in a script must be explained: an XML namespace name (XML_NAMESPACES), a
 *   scheme prefix with no host (`"https://" + host`, used to turn text into links), or an entry of
 *   REVIEWED_SCRIPT_URLS, each read in context with the reason written beside it. Anything else fails,
 *   so a new URL in a future Allure release is read by someone before a report with it goes out.
 *   Scripts must not name an analytics host at all (even without a scheme) nor call gtag().
 * - Report data (.json outside data/attachments/, the report options, the single-file report's embedded
 *   files): shown as text or links, never fetched, so a URL in it (a test's link, an error naming
 *   BASE_URL) is harmless; but a string holding markup may be rendered as HTML (an HTML description is
 *   shown in an iframe), so such strings are read as markup.
 * - Attachments (data/attachments/): by how the app shows them. HTML and SVG are rendered: markup.
 *   Markdown is rendered as HTML except its code: markup once code blocks and spans are removed (a
 *   Playwright error-context.md quotes the failing test's source in a code block). Everything else
 *   (JSON, text, code, images, traces, video) is shown as text or media, or downloaded: nothing in it
 *   is loaded, whatever it mentions.
 * - The single-file report carries its app and data base64-encoded (data: URIs, `d("name","base64")`
 *   entries): those are decoded and read by the same rules, under `index.html#<what>`.
 *
 * What a static read cannot see (a URL assembled from pieces at run time) the browser test of the report
 * (tests/tooling/report.spec.ts) covers by opening both variants with every outside request blocked
 * and recorded.
 */

export interface OutsideRequest {
  /** The file, plus `#…` naming the part of it (an embedded file, a data: URI) when the match is inside. */
  file: string;
  /** What would make the request, e.g. `<script src>`, `URL in a script`, `analytics host`. */
  kind: string;
  /** The text that matched, shortened. */
  match: string;
}

/** Namespace names passed to createElementNS() and the like: identifiers that are never fetched. */
export const XML_NAMESPACES: ReadonlySet<string> = new Set([
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/XML/1998/namespace',
  'http://www.w3.org/2000/xmlns/',
]);

/**
 * Absolute URLs in the report app of the awesome plugin (allure 3.18.0) that are not requests made when
 * the report is opened, each with the reason found by reading the code around it. Exact strings only.
 */
export const REVIEWED_SCRIPT_URLS: ReadonlyMap<string, string> = new Map([
  [
    'https://localhost',
    'the fallback base of new URL(dataPath, base) when the page has no <base>; index.html always adds one, and the fallback would name the local machine anyway',
  ],
  ['https://allurereport.org', 'the href of the "Powered by Allure" link: a navigation only when the reader clicks it'],
  [
    'https://trace.playwright.dev',
    'the Playwright trace viewer, opened in a new window only when the reader clicks a Playwright trace attachment ' +
      '(failed tests keep theirs, scrubbed by support/evidence/); the report hands the trace to that page by postMessage, ' +
      "and per Playwright's documentation the viewer reads it entirely in the browser and transmits nothing",
  ],
]);

const MAX_MATCH_LENGTH = 140;

/** How a kind of content is told (by its file's extension, or a data: URI's media type) and read. */
interface ContentKindRule {
  /** Extensions of the report's own files of this kind. */
  fileExtensions: readonly string[];
  /** Extensions of the attachments (data/attachments/) the report app shows as this kind. */
  attachmentExtensions: readonly string[];
  mimeType?: RegExp;
  /** Adds every outside request in `content` to `findings`. */
  scan: (content: string, where: string, findings: OutsideRequest[]) => void;
}

const MARKUP_EXTENSIONS = ['.html', '.htm', '.xhtml', '.svg'];

/** The kinds of content, in the order a media type is matched against them. */
const CONTENT_KINDS = {
  markup: {
    fileExtensions: MARKUP_EXTENSIONS,
    attachmentExtensions: MARKUP_EXTENSIONS,
    mimeType: /^(?:text\/html|image\/svg\+xml|application\/xhtml\+xml)$/,
    scan: scanMarkup,
  },
  markdown: { fileExtensions: [], attachmentExtensions: ['.md', '.markdown'], scan: scanMarkdown },
  stylesheet: { fileExtensions: ['.css'], attachmentExtensions: [], mimeType: /^text\/css$/, scan: scanStylesheet },
  script: {
    fileExtensions: ['.js', '.mjs', '.cjs'],
    attachmentExtensions: [],
    mimeType: /^(?:text|application)\/(?:x-)?(?:java|ecma)script$|^text\/(?:jsx|babel)$|^module$/,
    scan: scanScript,
  },
  data: { fileExtensions: ['.json'], attachmentExtensions: [], mimeType: /json$/, scan: scanData },
  // Shown as text or media, or downloaded: nothing in it is loaded, whatever it mentions.
  other: { fileExtensions: [], attachmentExtensions: [], scan: () => {} },
} satisfies Record<string, ContentKindRule>;

export type ContentKind = keyof typeof CONTENT_KINDS;

const KINDS = Object.entries(CONTENT_KINDS) as Array<[ContentKind, ContentKindRule]>;

/** How the report app uses a file, from its path inside the report (attachments by their own rules). */
export function contentKindOfPath(path: string): ContentKind {
  const extension = extname(path).toLowerCase();
  const attachment = /(?:^|[/\\#])data[/\\]attachments[/\\]/.test(path);
  return KINDS.find(([, rule]) => (attachment ? rule.attachmentExtensions : rule.fileExtensions).includes(extension))?.[0] ?? 'other';
}

function contentKindOfMimeType(mimeType: string): ContentKind {
  return KINDS.find(([, rule]) => rule.mimeType?.test(mimeType))?.[0] ?? 'other';
}

/** Every outside request in one file's content; `kind` defaults to what the file's extension says. */
export function findOutsideRequests(file: string, content: string, kind: ContentKind = contentKindOfPath(file)): OutsideRequest[] {
  const findings: OutsideRequest[] = [];
  scanContent(content, file, kind, findings);
  return findings;
}

export interface DirectoryScan {
  files: number;
  findings: OutsideRequest[];
}

/** Files read at once: a report is ~3 files per test, mostly small, and reading them one by one is slow. */
const PARALLEL_READS = 32;

/** Every outside request in every file under `directory`, named `label/<path inside the directory>`. */
export async function findOutsideRequestsInDirectory(directory: string, label: string): Promise<DirectoryScan> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const findingsByFile: OutsideRequest[][] = [];
  for (let start = 0; start < files.length; start += PARALLEL_READS) {
    const batch = files.slice(start, start + PARALLEL_READS).map(async (path) => {
      const name = `${label}/${relative(directory, path).split('\\').join('/')}`;
      const kind = contentKindOfPath(name);
      if (kind === 'other') return []; // shown as text or media, or downloaded: nothing in it is loaded
      return findOutsideRequests(name, await readFile(path, 'utf8'), kind);
    });
    findingsByFile.push(...(await Promise.all(batch)));
  }
  return { files: files.length, findings: findingsByFile.flat() };
}

export function formatOutsideRequest({ file, kind, match }: OutsideRequest): string {
  return `${file}: ${kind}: ${match}`;
}

function scanContent(content: string, where: string, kind: ContentKind, findings: OutsideRequest[]): void {
  CONTENT_KINDS[kind].scan(content, where, findings);
}

// ---------------------------------------------------------------------------------------------- markup

/** Elements that fetch nothing by themselves: their URLs are followed only on the reader's click. */
const NAVIGATION_ONLY_ELEMENTS = new Set(['a', 'area', 'form']);

/** Attributes whose URL the browser loads when the element is parsed or shown. */
const LOADING_ATTRIBUTES = new Set(['src', 'srcset', 'imagesrcset', 'href', 'xlink:href', 'poster', 'background', 'manifest']);

/** <link rel> values that only describe a relation: no request (stylesheet, icon, preload… all fetch). */
const LINK_TYPES_WITHOUT_FETCH = new Set([
  'alternate',
  'author',
  'bookmark',
  'canonical',
  'external',
  'help',
  'license',
  'me',
  'next',
  'nofollow',
  'noopener',
  'noreferrer',
  'opener',
  'prev',
  'search',
  'tag',
]);

function scanMarkup(html: string, where: string, findings: OutsideRequest[]): void {
  for (const element of rawTextElements(html)) {
    scanStartTag(element.tag, element.attributes, where, findings);
    if (element.tag === 'style') scanStylesheet(element.body, where, findings);
    else if (!element.attributes.has('src')) scanInlineScript(element.body, element.attributes, where, findings);
  }
  for (const tag of startTags(html)) scanStartTag(tag.name, tag.attributes, where, findings);
}

function scanStartTag(element: string, attributes: Map<string, string>, where: string, findings: OutsideRequest[]): void {
  for (const [attribute, value] of attributes) {
    if (attribute === 'style') {
      scanStylesheet(value, where, findings);
    } else if (attribute === 'srcdoc') {
      scanMarkup(value, `${where}#<${element} srcdoc>`, findings);
    } else if (element === 'meta' && attribute === 'content' && /refresh/i.test(attributes.get('http-equiv') ?? '')) {
      const target = /url\s*=\s*['"]?([^'"\s;]+)/i.exec(value)?.[1];
      if (target) checkLoadedUrl(target, '<meta http-equiv=refresh>', where, findings);
    } else if (isLoadingAttribute(element, attribute, attributes)) {
      const urls = attribute.endsWith('srcset') ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [value];
      for (const url of urls) checkLoadedUrl(url, `<${element} ${attribute}>`, where, findings);
    }
  }
}

function isLoadingAttribute(element: string, attribute: string, attributes: Map<string, string>): boolean {
  if (NAVIGATION_ONLY_ELEMENTS.has(element)) return false;
  if (attribute === 'data') return element === 'object';
  if (!LOADING_ATTRIBUTES.has(attribute)) return false;
  if (element === 'link' && attribute === 'href') {
    const types = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return types.length === 0 || types.some((type) => !LINK_TYPES_WITHOUT_FETCH.has(type));
  }
  return true;
}

/** A URL the browser will load: outside → a finding; data: → its content is read by the same rules. */
function checkLoadedUrl(value: string, kind: string, where: string, findings: OutsideRequest[]): void {
  const dataUri = decodeDataUri(value);
  if (dataUri) {
    scanContent(dataUri.content, `${where}#${kind} data:${dataUri.mimeType}`, contentKindOfMimeType(dataUri.mimeType), findings);
  } else if (isOutsideUrl(value)) {
    findings.push({ file: where, kind, match: shorten(value.trim()) });
  }
}

/**
 * Absolute (http, https, ws, wss, ftp) or scheme-relative (`//host`). Browsers drop tabs and newlines
 * inside URLs and read `\` as `/` in them, so `ht\ttps:\\host` counts too.
 */
export function isOutsideUrl(value: string): boolean {
  const url = value.replace(/[\t\n\r]/g, '').trim();
  return /^(?:(?:https?|wss?|ftp):)?[\\/]{2}/i.test(url);
}

/** Markdown shows its code escaped; the rest may carry HTML, which the app renders. */
function scanMarkdown(markdown: string, where: string, findings: OutsideRequest[]): void {
  const prose: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker?.startsWith(fence)) fence = undefined;
    else if (fence === undefined) prose.push(line);
  }
  scanMarkup(prose.join('\n').replace(/(`+)[\s\S]*?\1/g, ''), where, findings);
}

// ------------------------------------------------------------------------------------------ stylesheets

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi;
const CSS_IMPORT_STRING = /@import\s+(?:"([^"]*)"|'([^']*)')/gi;

function scanStylesheet(css: string, where: string, findings: OutsideRequest[]): void {
  for (const match of css.matchAll(CSS_URL)) checkLoadedUrl(match[1] ?? match[2] ?? match[3] ?? '', 'CSS url()', where, findings);
  for (const match of css.matchAll(CSS_IMPORT_STRING)) checkLoadedUrl(match[1] ?? match[2] ?? '', 'CSS @import', where, findings);
}

// ---------------------------------------------------------------------------------------------- scripts

const SCRIPT_URL = /\b(?:https?|wss?|ftp):\/\/[^\s"'`<>()\\{}|^[\]]*/gi;
const SCRIPT_SCHEME_RELATIVE_URL = /(["'`])\/\/((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/"'`?#:])/gi;
const HOSTNAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i;

function scanScript(code: string, where: string, findings: OutsideRequest[]): void {
  // `"https:\/\/host"` is the same string as `"https://host"` to JavaScript.
  const source = code.replaceAll('\\/', '/');
  for (const match of source.matchAll(SCRIPT_URL)) {
    const url = match[0].replace(/[.,;:!]+$/, '');
    const host = /^[a-z]+:\/\/([^/?#:]*)/i.exec(url)?.[1] ?? '';
    if (!HOSTNAME.test(host)) continue; // a bare scheme prefix such as `https://${host}`: no host of its own
    if (XML_NAMESPACES.has(url) || REVIEWED_SCRIPT_URLS.has(url)) continue;
    findings.push({ file: where, kind: 'URL in a script', match: around(source, match.index, match[0].length) });
  }
  for (const match of source.matchAll(SCRIPT_SCHEME_RELATIVE_URL)) {
    findings.push({ file: where, kind: 'scheme-relative URL in a script', match: around(source, match.index, match[0].length) });
  }
  for (const match of source.matchAll(ANALYTICS_HOST_PATTERN)) {
    findings.push({ file: where, kind: 'analytics host in a script', match: around(source, match.index, match[0].length) });
  }
  for (const match of source.matchAll(GTAG_CALL_PATTERN)) {
    findings.push({ file: where, kind: 'analytics call', match: around(source, match.index, match[0].length) });
  }
}

/** `window.allureReportOptions = {…}`: the report's settings, data rather than code (CI links live here). */
const REPORT_OPTIONS_ASSIGNMENT = /^\s*window\.allureReportOptions\s*=\s*(\{[\s\S]*\})\s*;?\s*$/;

/** An embedded file of the single-file report: `d("data/test-results/….json","<base64>")`. */
const EMBEDDED_REPORT_FILE = /\bd\(("(?:[^"\\]|\\.)*"),"([A-Za-z0-9+/]*={0,2})"\)/g;

function scanInlineScript(body: string, attributes: Map<string, string>, where: string, findings: OutsideRequest[]): void {
  const type = (attributes.get('type') ?? '').toLowerCase();
  if (type.includes('json')) {
    scanData(body, `${where}#<script type=${type}>`, findings);
    return;
  }
  const options = REPORT_OPTIONS_ASSIGNMENT.exec(body)?.[1];
  if (options !== undefined) {
    try {
      scanDataValue(JSON.parse(options), `${where}#allureReportOptions`, findings);
      return;
    } catch {
      // Not plain JSON after all: read it as code below.
    }
  }
  const code = body.replace(EMBEDDED_REPORT_FILE, (_entry, quotedName: string, base64: string) => {
    const name = JSON.parse(quotedName) as string;
    const kind = contentKindOfPath(name);
    if (kind !== 'other') scanContent(Buffer.from(base64, 'base64').toString('utf8'), `${where}#${name}`, kind, findings);
    return 'd()';
  });
  scanScript(code, `${where}#<script>`, findings);
}

// ------------------------------------------------------------------------------------------------- data

function scanData(text: string, where: string, findings: OutsideRequest[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return; // not JSON: nothing in it is loaded
  }
  scanDataValue(value, where, findings);
}

function scanDataValue(value: unknown, where: string, findings: OutsideRequest[]): void {
  if (typeof value === 'string') {
    if (value.includes('<')) scanMarkup(value, where, findings);
  } else if (Array.isArray(value)) {
    for (const item of value) scanDataValue(item, where, findings);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) scanDataValue(item, where, findings);
  }
}

// ------------------------------------------------------------------------------------------------ text

function around(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 30);
  const end = Math.min(text.length, index + Math.max(length, 40) + 30);
  return shorten(text.slice(start, end).replace(/\s+/g, ' ').trim());
}

function shorten(text: string): string {
  return text.length > MAX_MATCH_LENGTH ? `${text.slice(0, MAX_MATCH_LENGTH - 1)}…` : text;
}
