// reports/claims.md: the audit as an issue comment, headed by the verdict it was checked against.
import type { Stage } from '../../support/verdict/stages.ts';
import type { AuditedClaim, AuditedVerdict } from './audit.ts';
import { EVERY_STAGE } from './claim-stages.ts';

export interface ClaimsReport {
  /** The update's file name, or "standard input". */
  update: string;
  verdict: AuditedVerdict;
  /** REPORT_URL when set, else the verdict's. */
  reportUrl: string | null;
  claims: AuditedClaim[];
}

const AGREEMENT_MARK: Record<AuditedClaim['agreement'], string> = {
  contradicted: '❌ contradicted',
  agrees: '✅ agrees',
  'not measured': '⏭️ not measured',
  'not measurable here': '➖ not measurable here',
};

/** Claims are quoted, not reproduced: a table cell shows this much of one. */
const MAX_QUOTE = 140;

/** The verdict's headline in verdict.md's words, so the two comments read alike. */
export function verdictHeadline(verdict: Pick<AuditedVerdict, 'verdict' | 'outcome' | 'failingStage' | 'category'>): string {
  if (verdict.verdict === 'PASS') {
    const suffix = verdict.outcome === 'flaky' ? ' (flaky: passed on re-run)' : verdict.outcome === 'degraded' ? ' (degraded: slower than it should be)' : '';
    return `✅ PASS${suffix}`;
  }
  return `❌ FAIL${verdict.failingStage ? ` at **${verdict.failingStage}** (${verdict.category})` : ''}`;
}

export function claimsMarkdown(report: ClaimsReport): string {
  const { verdict, claims } = report;
  const count = (agreement: AuditedClaim['agreement']) => claims.filter((claim) => claim.agreement === agreement).length;
  const { passed, failed, flaky, skipped } = verdict.tests;
  const reportLink = report.reportUrl ? `[Full report](${report.reportUrl})` : "_No REPORT_URL was set: the report is in the run's artifacts._";
  const lines = [
    `### Claim audit: ${count('contradicted')} of ${claims.length} claim(s) contradicted by the golden-path run`,
    '',
    `Golden path: ${verdictHeadline(verdict)} · ${passed} passed, ${failed} failed, ${flaky} flaky, ${skipped} skipped · ${reportLink}`,
  ];
  if (verdict.reason) lines.push('', `> Why: ${cell(verdict.reason)}`);

  const judged = claims.filter((claim) => claim.agreement !== 'not measurable here');
  const unjudged = claims.filter((claim) => claim.agreement === 'not measurable here');
  lines.push('');
  if (claims.length === 0)
    lines.push(`No claim found in ${report.update}: no ✅/❌/⚠️ mark, status word (RESOLVED, OPERATIONAL, BLOCKED, …) or "N/N tests passing".`);
  if (judged.length > 0) {
    lines.push(
      '| Line | Claim | Stages | Stated | Measured | |',
      '|---|---|---|---|---|---|',
      ...judged.map(
        (claim) =>
          `| ${claim.line} | ${quote(claim.text)} | ${stagesCell(claim.stages)} | ${claim.stated} | ${measuredCell(claim)} | ${AGREEMENT_MARK[claim.agreement]} |`,
      ),
    );
  }
  if (unjudged.length > 0) {
    lines.push(
      '',
      `<details><summary>${unjudged.length} claim(s) not measurable here</summary>`,
      '',
      '| Line | Claim | Stated | Why not |',
      '|---|---|---|---|',
      ...unjudged.map((claim) => `| ${claim.line} | ${quote(claim.text)} | ${claim.stated} | ${cell(claim.unmeasurable ?? '')} |`),
      '',
      '</details>',
    );
  }
  lines.push(
    '',
    `${count('agrees')} agree, ${count('contradicted')} contradicted, ${count('not measured')} not measured, ${unjudged.length} not measurable here. ` +
      `Claims found in ${cell(report.update)} by their marks, status words and test counts; stages from \`scripts/claims/claim-stages.ts\`.`,
  );
  return `${lines.join('\n')}\n`;
}

function measuredCell({ measured, measuredBy }: AuditedClaim): string {
  const head = measured.result === 'FAIL' ? `FAIL at ${measured.stage}` : measured.result;
  // A stage's failure message is the verdict's "Why" above; counts and stages not run differ from row to row.
  const detail = measured.result === 'FAIL' && measuredBy === 'stages' ? '' : measured.detail;
  return cell(detail ? `${head} (${detail})` : head);
}

function stagesCell(stages: readonly Stage[]): string {
  return stages.length === EVERY_STAGE.length ? 'all stages' : stages.join(', ');
}

function quote(text: string): string {
  const plain = text.replace(/\*\*|__/g, '');
  return cell(plain.length > MAX_QUOTE ? `${plain.slice(0, MAX_QUOTE - 1)}…` : plain);
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
