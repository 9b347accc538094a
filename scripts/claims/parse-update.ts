// Finds the claims of a Markdown status update, line by line (a claim is quoted with its line number, and
// status updates are line-oriented: checklists, table rows, bold status lines).
import { repairMisencodedUtf8 } from './repair-encoding.ts';

export type Stated = 'working' | 'broken' | 'partial' | 'not stated';

export interface FoundClaim {
  /** 1-based line of the update. */
  line: number;
  /** The claim as written (mis-encoded emoji put back), without its list marker or table pipes. */
  text: string;
  /**
   * Where it was found: a list item, a table row, a bold status line (`**Status:** …`), a test count,
   * an upper-case statement (RESOLVED, BLOCKED) or any other line with a mark (a heading, a code line).
   */
  kind: 'list-item' | 'table-row' | 'status-line' | 'test-count' | 'statement' | 'marked-line';
  stated: Stated;
  /** For "N/N tests passing". */
  testCount?: { passing: number; total: number };
  /** The line's emoji arrived mis-encoded (`âœ…`) and were put back. */
  repaired: boolean;
}

// The author's own mark decides what a line states; words decide only where there is none.
const MARKS: ReadonlyArray<{ mark: RegExp; stated: Exclude<Stated, 'not stated'> }> = [
  { mark: /✅|✔️?|☑️?|🟢/u, stated: 'working' },
  { mark: /❌|✖️?|✗|🚨|🔴|⛔|🛑/u, stated: 'broken' },
  { mark: /⚠️?|🟡|🟠/u, stated: 'partial' },
];
const ANY_MARK = new RegExp(MARKS.map(({ mark }) => mark.source).join('|'), 'gu');

// Upper case only: "RESOLVED" is a statement, "resolved" is prose. At one position the first alternative
// wins, so the partial and negated phrases come before the words they contain.
const STATEMENTS: ReadonlyArray<{ words: string; stated: Exclude<Stated, 'not stated'> }> = [
  { words: 'SUBSTANTIALLY RESOLVED|LARGELY RESOLVED|PARTIALLY [A-Z]+|PARTIAL|DEGRADED', stated: 'partial' },
  { words: 'NOT WORKING|BLOCKED|CRITICAL FAILURES?|FAILURES?|FAILED|FAILING|BROKEN|OFFLINE|DOWN|OUTAGE|UNAVAILABLE', stated: 'broken' },
  {
    words: 'RESOLVED|OPERATIONAL|FIXED|RESTORED|WORKING|FUNCTIONAL|FUNCTIONING|HEALTHY|VALIDATED|PASSING|PASSED|PASSES|PASS|ONLINE|READY|STABLE',
    stated: 'working',
  },
];
const STATEMENT = new RegExp(`\\b(?:${STATEMENTS.map(({ words }) => `(${words})`).join('|')})\\b`);

const TEST_COUNT = /\b(\d+)\s*(?:\/|of)\s*(\d+)\s+(?:[\w-]+\s+){0,3}?tests?\b[^\n]*?\b(?:passing|passed|pass|succeeded|green)\b/i;
const STATUS_LABEL = /^\W*\*\*[^*]*\b(?:status|result|state)\b[^*]*\*\*:?/i;
const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s+/;
const UNCHECKED = /^\s*(?:[-*+]|\d+[.)])\s+\[ \]/;
const CHECKED = /^\s*(?:[-*+]|\d+[.)])\s+\[[xX]\]\s*/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const FENCE = /^\s*(?:```|~~~)/;

/** Every claim of the update, in the order written. */
export function parseUpdate(markdown: string): FoundClaim[] {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const claims: FoundClaim[] = [];
  lines.forEach((written, index) => {
    const line = repairMisencodedUtf8(written);
    const repaired = line !== written;
    const next = lines[index + 1] ?? '';
    if (line.trim() === '' || FENCE.test(line) || TABLE_SEPARATOR.test(line)) return;
    // A to-do is a plan, not a claim.
    if (UNCHECKED.test(line)) return;
    if (TABLE_ROW.test(line)) {
      if (TABLE_SEPARATOR.test(next)) return; // a header row names columns
      const cells = line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .filter(Boolean);
      const claim = claimOf({ text: cells.join(' | '), kind: 'table-row', checked: false });
      if (claim) claims.push({ ...claim, line: index + 1, repaired });
      return;
    }
    for (const segment of segmentsOf(line)) {
      const claim = claimOf(segment);
      if (claim) claims.push({ ...claim, line: index + 1, repaired });
    }
  });
  return claims;
}

interface Segment {
  text: string;
  kind: FoundClaim['kind'];
  /** A ticked checklist box (`- [x]`) states the item done, like a ✅. */
  checked: boolean;
}

/**
 * A line usually makes one claim; "✅ Chat working, ✅ User flows operational, ✅ Revenue protected" makes
 * three, and each is judged on its own (the revenue one cannot borrow the chat one's evidence).
 */
function segmentsOf(line: string): Segment[] {
  const checked = CHECKED.test(line);
  const isListItem = LIST_MARKER.test(line);
  const text = line
    .replace(LIST_MARKER, '')
    .replace(/^\s*(?:#+|>)\s*/, '')
    .trim();
  const kind: FoundClaim['kind'] = isListItem ? 'list-item' : STATUS_LABEL.test(text) ? 'status-line' : 'marked-line';
  const marks = [...text.matchAll(ANY_MARK)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  if (marks.length < 2) return [{ text, kind, checked }];
  // Marks either lead their claims ("Label: ✅ A, ✅ B") or close them ("A ✅, B ❌ (why)"): before the
  // first mark, a leading one has at most a label.
  const beforeFirstMark = text.slice(0, marks[0]!.start).replace(/[\s*_]/g, '');
  const trailing = beforeFirstMark !== '' && !beforeFirstMark.endsWith(':');
  const cuts = trailing ? [0, ...marks.slice(0, -1).map((mark) => mark.end)] : marks.map((mark) => mark.start);
  return cuts
    .map((start, index) => text.slice(start, cuts[index + 1] ?? text.length).replace(/^[\s,;]+|[\s,;]+$/g, ''))
    .filter((segment) => /\p{L}/u.test(segment))
    .map((segment) => ({ text: segment, kind, checked }));
}

function claimOf({ text, kind, checked }: Segment): Omit<FoundClaim, 'line' | 'repaired'> | undefined {
  const count = TEST_COUNT.exec(text);
  const testCount = count ? { passing: Number(count[1]), total: Number(count[2]) } : undefined;
  const byMark = markOf(text) ?? (checked ? 'working' : undefined);
  const byWords = statementOf(text);
  const statusLine = kind === 'status-line' && /\p{L}/u.test(text.replace(STATUS_LABEL, ''));
  if (!testCount && !byMark && !byWords && !statusLine) return undefined;
  const stated = byMark ?? (testCount ? statedByCount(testCount) : undefined) ?? byWords ?? 'not stated';
  if (testCount) return { text, kind: 'test-count', stated, testCount };
  return { text, kind: kind === 'marked-line' && !byMark ? 'statement' : kind, stated };
}

function markOf(text: string): Stated | undefined {
  let first: { index: number; stated: Stated } | undefined;
  for (const { mark, stated } of MARKS) {
    const index = text.search(mark);
    if (index >= 0 && (!first || index < first.index)) first = { index, stated };
  }
  return first?.stated;
}

function statementOf(text: string): Stated | undefined {
  const match = STATEMENT.exec(text);
  if (!match) return undefined;
  return STATEMENTS[match.slice(1).findIndex((group) => group !== undefined)]!.stated;
}

function statedByCount({ passing, total }: { passing: number; total: number }): Stated {
  return passing >= total ? 'working' : passing === 0 ? 'broken' : 'partial';
}
