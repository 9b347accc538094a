import { readFile, writeFile } from 'node:fs/promises';
import { GTAG_CALL_PATTERN, isAnalyticsHost } from './analytics.ts';
import { rawTextElements } from './html.ts';

/**
 * Allure 3 (3.18.0) writes Google Analytics into the index.html of every report it generates, whatever
 * the configuration: the awesome plugin renders its page template with `analyticsEnable: true` hard-coded,
 * and the documented opt-out, ALLURE_NO_ANALYTICS=true, is read only by the allure2 plugin. The template
 * adds, at the end of <body>:
 *
 *   <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
 *   <script>
 *       window.dataLayer = window.dataLayer || [];
 *       function gtag(){dataLayer.push(arguments);}
 *       gtag('js', new Date());
 *       gtag('config', 'G-LNDJ3J7WT0', { "report": "awesome", "allureVersion": "3.18.0", "reportUuid": "…", "single_file": "…" });
 *   </script>
 *
 * so opening a report would load Google's tag script and send it the report's id, Allure's version and the
 * reader's visit. The multi-file and the single-file report carry the same two elements; the report app
 * itself (its JavaScript bundle) holds no analytics. This removes exactly those elements: a <script> whose
 * src is on an analytics host, and an inline <script> that calls gtag(). Nothing else is touched; if a
 * later Allure injects something else, the outside-request check fails and names it.
 */
export interface StrippedPage {
  html: string;
  /** One line per removed element, for the progress output. */
  removed: string[];
}

export function stripAnalytics(html: string): StrippedPage {
  const removed: string[] = [];
  const cuts: Array<{ start: number; end: number }> = [];
  for (const element of rawTextElements(html)) {
    if (element.tag !== 'script') continue;
    const src = element.attributes.get('src');
    if (src !== undefined && isAnalyticsHost(hostOf(src))) {
      removed.push(`<script src="${src}">`);
      cuts.push(element);
    } else if (src === undefined && new RegExp(GTAG_CALL_PATTERN.source).test(element.body)) {
      const tagIds = [...new Set(element.body.match(/\bG-[A-Z0-9]+\b/g) ?? [])];
      removed.push(`inline <script> calling gtag()${tagIds.length ? ` for ${tagIds.join(', ')}` : ''}`);
      cuts.push(element);
    }
  }
  let stripped = html;
  // From the end, so earlier offsets stay valid; the indentation before an element goes with it.
  for (const { start, end } of cuts.reverse()) {
    const lineStart = stripped.lastIndexOf('\n', start - 1) + 1;
    const from = /^[ \t]*$/.test(stripped.slice(lineStart, start)) ? lineStart : start;
    const to = stripped[end] === '\n' ? end + 1 : end;
    stripped = stripped.slice(0, from) + stripped.slice(to);
  }
  return { html: stripped, removed };
}

/** Strips one page in place; returns what was removed. */
export async function stripAnalyticsFromFile(path: string): Promise<string[]> {
  const page = stripAnalytics(await readFile(path, 'utf8'));
  if (page.removed.length > 0) await writeFile(path, page.html);
  return page.removed;
}

function hostOf(url: string): string {
  try {
    return new URL(url.trim(), 'https://relative.invalid').hostname;
  } catch {
    return '';
  }
}
