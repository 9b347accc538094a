// reports/claims.md: the audit as an issue comment, headed by the target the run measured, its time and
// the verdict it was checked against.
import type { Stage } from '../../support/verdict/stages.ts';
import { LOCAL_RUN, type AuditedClaim, type AuditedVerdict } from './audit.ts';
import { EVERY_STAGE } from './claim-stages.ts';
import { againstTheDescribedService, describeRunTime, describeTarget } from './target.ts';

/**
 * The last line of the audit of a local run, hidden when rendered: `npm run comment -- --claims` reads it
 * to refuse posting such an audit unless asked to (--allow-local-audit).
 */
export const LOCAL_AUDIT_MARKER = '<!-- claim-audit-target: local -->';

export interface ClaimsReport {
  /** The update's file name, or "standard input". */
  update: string;
  verdict: AuditedVerdict;
  /** Hosts the update names that the run did not measure. */
  hostsNotTested: string[];
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
  const local = verdict.target.kind === 'local';
  const count = (agreement: AuditedClaim['agreement']) => claims.filter((claim) => claim.agreement === agreement).length;
  const { passed, failed, flaky, skipped } = verdict.tests;
  const reportLink = report.reportUrl ? `[Full report](${report.reportUrl})` : "_No REPORT_URL was set: the report is in the run's artifacts._";
  const lines = [
    local
      ? `### Claim audit: nothing measured, ${LOCAL_RUN}`
      : `### Claim audit: ${count('contradicted')} of ${claims.length} claim(s) contradicted by the golden-path run`,
    '',
    `**Target:** ${describeTarget(verdict.target)} · run ${describeRunTime(verdict)}`,
  ];
  if (local) {
    lines.push(
      '',
      `> ⚠️ **Not evidence about the service the update describes.** This run tested the reference service bundled with the harness, so it agrees with no claim and contradicts none. ` +
        `To audit the update, run against the service it describes: ${againstTheDescribedService(report.update)}.`,
    );
  }
  if (report.hostsNotTested.length > 0) {
    lines.push(
      '',
      `> ⚠️ The update names ${report.hostsNotTested.map((host) => `\`${host}\``).join(', ')}, which this run did not test (it tested ${describeTarget(verdict.target)}).`,
    );
  }
  lines.push('', `Golden path: ${verdictHeadline(verdict)} · ${passed} passed, ${failed} failed, ${flaky} flaky, ${skipped} skipped · ${reportLink}`);
  if (verdict.reason) lines.push('', `> Why: ${cell(verdict.reason)}`);

  const selfContradicting = claims.filter((claim) => claim.selfContradiction);
  if (selfContradicting.length > 0) {
    lines.push(
      '',
      `**⚠️ ${selfContradicting.length} claim(s) contradict themselves:** marked as working beside a failure their own text reports, whatever the run says.`,
      '',
      ...selfContradicting.map((claim) => `- line ${claim.line}: ${quote(claim.text)}: ${cell(claim.selfContradiction!)}`),
    );
  }

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
          `| ${claim.line} | ${quote(claim.text)} | ${stagesCell(claim.stages)} | ${claim.stated} | ${measuredCell(claim)} | ${agreementCell(claim)} |`,
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
  const unmeasured = claims.filter((claim) => claim.agreement === 'not measured');
  if (!local && unmeasured.length > 0) {
    lines.push(
      '',
      `To measure what this run did not: \`npm run claims -- --update ${report.update === 'standard input' ? '<status.md>' : report.update} --run\` runs the tests of every stage the claims name against the configured target, then audits again.`,
    );
  }
  lines.push(
    '',
    `${count('agrees')} agree, ${count('contradicted')} contradicted, ${unmeasured.length} not measured, ${unjudged.length} not measurable here` +
      `${selfContradicting.length > 0 ? `; ${selfContradicting.length} contradict themselves` : ''}. ` +
      `Claims found in ${cell(report.update)} by their marks, status words and test counts; stages from \`scripts/claims/claim-stages.ts\`.`,
  );
  if (local) lines.push('', LOCAL_AUDIT_MARKER);
  return `${lines.join('\n')}\n`;
}

function agreementCell(claim: AuditedClaim): string {
  return `${AGREEMENT_MARK[claim.agreement]}${claim.selfContradiction ? ' · ⚠️ contradicts itself' : ''}`;
}

function measuredCell({ measured, measuredBy }: AuditedClaim): string {
  const head = measured.result === 'FAIL' ? `FAIL at ${measured.stage}` : measured.result;
  // A stage's failure message is the verdict's "Why" above, and a local run's is the notice at the top;
  // counts and stages not measured differ from row to row, each with the command that would measure them.
  if (measured.detail === LOCAL_RUN) return `${head} (local run)`;
  const detail = measured.result === 'FAIL' && measuredBy === 'stages' ? '' : cell(measured.detail);
  // A pipe inside a code span still ends a table cell.
  const command = measured.command ? `measure: \`${measured.command.replace(/\|/g, '\\|')}\`` : '';
  const inParentheses = [detail, command].filter(Boolean).join('; ');
  return inParentheses ? `${head} (${inParentheses})` : head;
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
