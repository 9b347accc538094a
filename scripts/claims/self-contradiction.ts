// A claim marked as working whose own text reports a failure ("Frontend Service Status: ✅ HTTP 404") is
// the kind of claim the audit exists to catch: it is flagged whatever the run says.
import type { FoundClaim } from './parse-update.ts';

// The ✅ is about the fix or a refusal the service should make ("✅ No timeouts (503s gone)", "✅ expired
// tokens refused with 401", "✅ Agent Execution Timeouts: Fixed"), not a failure left standing.
const ABOUT_A_FIX_OR_REFUSAL =
  /\b(?:no|zero|without|never|gone|fixed|resolved|eliminated|prevented|configured|maintained|handled|as expected|expected|refus\w*|reject\w*|denied|blocks?)\b/i;

const HTTP_REASON =
  'Bad Request|Unauthori[sz]ed|Forbidden|Not Found|Conflict|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out';
// A 4xx or 5xx in an HTTP context: "HTTP 404", "status 500", "returns 503", "503 on /health", "502 Bad Gateway".
const HTTP_FAILURE = new RegExp(
  `\\b(?:HTTP(?:/[\\d.]+)?|status(?: code)?|returns?|returned|answer(?:s|ed)?|respond(?:s|ed)?(?: with)?|got)\\s*:?\\s*([45]\\d\\d)\\b|\\b([45]\\d\\d)\\s+(?:on\\s+/|${HTTP_REASON})`,
  'i',
);
const FAILED = /\b(?:failed|failing)\b/i;
const TIMEOUT = /\b(?:tim(?:es|ed|ing) ?out|timeouts?)\b/i;
const PASS_RATE = /\b(\d{1,3}(?:\.\d+)?)\s?%\s+(?:pass(?:ing)?|success)\b|\b(?:pass(?:ing)?|success)\s+rate:?\s*(?:of\s+)?(\d{1,3}(?:\.\d+)?)\s?%/i;

/** What failure the claim's own text reports, for a claim stated as working; undefined if none. */
export function selfContradiction(claim: Pick<FoundClaim, 'text' | 'stated' | 'testCount'>): string | undefined {
  if (claim.stated !== 'working') return undefined;
  const rate = PASS_RATE.exec(claim.text);
  const percent = rate ? Number(rate[1] ?? rate[2]) : undefined;
  if (percent !== undefined && percent < 100) return `its own text reports a pass rate of ${percent} %`;
  if (claim.testCount && claim.testCount.passing < claim.testCount.total)
    return `its own text reports ${claim.testCount.passing} of ${claim.testCount.total} tests passing`;
  if (ABOUT_A_FIX_OR_REFUSAL.test(claim.text)) return undefined;
  const http = HTTP_FAILURE.exec(claim.text);
  if (http) return `its own text reports HTTP ${http[1] ?? http[2]}`;
  const failed = FAILED.exec(claim.text);
  if (failed) return `its own text says "${failed[0]}"`;
  const timeout = TIMEOUT.exec(claim.text);
  if (timeout) return `its own text reports a timeout ("${timeout[0]}")`;
  return undefined;
}
