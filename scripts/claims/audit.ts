// Sets each claim of a status update beside what the run measured for the stages it is about. Only a
// run against the service the update describes can agree with a claim or contradict it; a claim agrees
// only when every stage it names was reached and passed.
import type { Verdict } from '../../support/verdict/verdict.ts';
import { GOLDEN_PATH_STAGES, STAGES, type Stage } from '../../support/verdict/stages.ts';
import { EVERY_STAGE, stagesForClaim } from './claim-stages.ts';
import type { FoundClaim, Stated } from './parse-update.ts';
import { selfContradiction } from './self-contradiction.ts';
import { measuringCommand } from './suites.ts';

/** What the run recorded about its target (support/evidence/reporters/run-environment.ts writes it). */
export interface AuditedTarget {
  kind: 'local' | 'external';
  url?: string;
  profile?: string;
  service?: string;
}

/** The parts of reports/verdict.json the audit reads. */
export type AuditedVerdict = Pick<
  Verdict,
  'verdict' | 'outcome' | 'failingStage' | 'category' | 'reason' | 'stages' | 'tests' | 'failures' | 'degradations' | 'reportUrl' | 'startedAt' | 'finishedAt'
> & { target: AuditedTarget };

export interface Measurement {
  result: 'PASS' | 'FAIL' | 'DEGRADED' | 'not measured';
  /** The stage that failed, for a FAIL. */
  stage?: Stage | 'unattributed';
  /** The evidence in one line: the failure's message, the stages not measured, the test counts. */
  detail: string;
  /** For "not measured": the command that would measure it. */
  command?: string;
}

export type Agreement = 'contradicted' | 'agrees' | 'not measured' | 'not measurable here';

export interface AuditedClaim extends FoundClaim {
  /** What the claim is about, as the keyword table names it. */
  topics: string[];
  stages: Stage[];
  /** A test count about the whole suite is compared with the run's counts; every other claim with its stages. */
  measuredBy: 'stages' | 'test counts';
  measured: Measurement;
  agreement: Agreement;
  /** Why a claim is not measurable here. */
  unmeasurable?: string;
  /** A claim stated as working whose own text reports a failure ("✅ HTTP 404"): what it reports. */
  selfContradiction?: string;
}

/** What a run against the bundled reference service says about the service an update describes: nothing. */
export const LOCAL_RUN = 'this run tested the bundled reference service, not the service the update describes';

/** The claims with their measurements, in the order a reader needs them (see byReadingOrder). */
export function auditClaims(claims: readonly FoundClaim[], verdict: AuditedVerdict): AuditedClaim[] {
  return claims.map((claim) => auditClaim(claim, verdict)).sort(byReadingOrder);
}

interface ClaimStages {
  topics: string[];
  stages: Stage[];
  countsTheRun: boolean;
  unmeasurable?: string;
}

/** The stages a claim is judged by, or why no run can judge it. */
function claimStages(claim: FoundClaim): ClaimStages {
  // A table row's last cells are the author's evidence ("factory architecture"), not what is claimed:
  // they make no claim unmeasurable.
  const mapping = stagesForClaim(claim.text, claim.kind === 'table-row' ? claim.text.split(' | ').slice(0, 2).join(' | ') : claim.text);
  if (mapping.unmeasurable) return { ...mapping, countsTheRun: false };
  // A test count with no topic is about the whole suite; one that names a topic ("4/4 auth tests") is
  // judged by that topic's stages, since the verdict does not count tests per stage.
  const countsTheRun = claim.testCount !== undefined && mapping.stages.length === 0;
  const stages = countsTheRun ? [...EVERY_STAGE] : mapping.stages;
  if (stages.length === 0)
    return { ...mapping, countsTheRun, unmeasurable: 'it names nothing the harness tests (no keyword of scripts/claims/claim-stages.ts)' };
  if (claim.stated === 'not stated') return { ...mapping, countsTheRun, unmeasurable: 'it states no status (working, broken or partial) to check' };
  return { topics: mapping.topics, stages, countsTheRun };
}

/** Every stage some claim of the update is judged by: what `npm run claims -- --run` runs. */
export function stagesToMeasure(claims: readonly FoundClaim[]): Stage[] {
  const wanted = new Set(claims.map(claimStages).flatMap((mapping) => (mapping.unmeasurable ? [] : mapping.stages)));
  return STAGES.filter((stage) => wanted.has(stage));
}

function auditClaim(claim: FoundClaim, verdict: AuditedVerdict): AuditedClaim {
  const { topics, stages, countsTheRun, unmeasurable } = claimStages(claim);
  const contradiction = selfContradiction(claim);
  const flagged = contradiction ? { selfContradiction: contradiction } : {};
  if (unmeasurable) {
    return {
      ...claim,
      topics,
      stages,
      measuredBy: 'stages',
      measured: { result: 'not measured', detail: unmeasurable },
      agreement: 'not measurable here',
      unmeasurable,
      ...flagged,
    };
  }
  const measuredBy = countsTheRun ? 'test counts' : 'stages';
  if (verdict.target.kind === 'local') {
    const measured: Measurement = { result: 'not measured', detail: LOCAL_RUN, command: 'TARGET_PROFILE=<env> npm run smoke' };
    return { ...claim, topics, stages, measuredBy, measured, agreement: 'not measured', ...flagged };
  }
  const measured = countsTheRun ? measureTestCounts(verdict) : measureStages(stages, verdict);
  const agreement = agreementOf(claim.stated as Exclude<Stated, 'not stated'>, measured);
  // A claim that reports its own failure beside a ✅ is never agreed with: its own text contradicts it.
  return { ...claim, topics, stages, measuredBy, measured, agreement: contradiction && agreement === 'agrees' ? 'contradicted' : agreement, ...flagged };
}

function measureStages(stages: readonly Stage[], verdict: AuditedVerdict): Measurement {
  const statusOf = (stage: Stage) => verdict.stages.find((entry) => entry.stage === stage)?.status ?? 'not run';
  // One failed stage the claim depends on is enough to refute it, whatever else did not run.
  const failed = stages.find((stage) => statusOf(stage) === 'failed');
  if (failed)
    return { result: 'FAIL', stage: failed, detail: verdict.failures.find((failure) => failure.stage === failed)?.message ?? `the ${failed} stage failed` };
  // A failure with no stage marker may belong to any stage: it refutes a claim about the whole path.
  const wholePath = GOLDEN_PATH_STAGES.every((stage) => stage === 'config' || stages.includes(stage));
  if (wholePath && verdict.failingStage === 'unattributed') {
    return {
      result: 'FAIL',
      stage: 'unattributed',
      detail: verdict.failures.find((failure) => failure.stage === 'unattributed')?.message ?? verdict.reason ?? 'failed',
    };
  }
  // A stage skipped, not selected or never reached says nothing either way: the claim is not measured.
  const cutShort = cutShortBy(verdict);
  const unmeasured = stages.filter((stage) => statusOf(stage) !== 'passed' || cutShort(stage));
  if (unmeasured.length > 0) return { result: 'not measured', detail: whyNotMeasured(unmeasured, verdict), command: measuringCommand(unmeasured) };
  const degradation = stages.includes('latency') && verdict.outcome === 'degraded' ? verdict.degradations[0] : undefined;
  if (degradation) return { result: 'DEGRADED', detail: degradation.message };
  return { result: 'PASS', detail: '' };
}

/**
 * The stages a run that failed at a golden-path stage cannot have finished: the path's later stages,
 * even where a step of theirs ran before the failure (a browser test logs in through the page, then
 * stops at agent-events: "ui passed" there says nothing of the answer on the page), and latency, which
 * is measured to the path's end. A run that failed before any test reached no stage at all.
 */
function cutShortBy(verdict: AuditedVerdict): (stage: Stage) => boolean {
  const failedAt = GOLDEN_PATH_STAGES.findIndex((stage) => stage === verdict.failingStage);
  if (failedAt < 0) return () => false;
  if (verdict.tests.total === 0) return () => true;
  return (stage) => stage === 'latency' || GOLDEN_PATH_STAGES.findIndex((candidate) => candidate === stage) > failedAt;
}

/** "not reached after the agent-events failure: ui, persistence; not run: isolation". */
function whyNotMeasured(stages: readonly Stage[], verdict: AuditedVerdict): string {
  const cutShort = cutShortBy(verdict);
  const notReached = stages.filter(cutShort);
  const notRun = stages.filter((stage) => !cutShort(stage));
  const skipped = verdict.tests.skipped > 0 ? ` (${verdict.tests.skipped} test(s) skipped)` : '';
  return [
    notReached.length > 0 ? `not reached after the ${verdict.failingStage} failure: ${notReached.join(', ')}` : '',
    notRun.length > 0 ? `not run${skipped}: ${notRun.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function measureTestCounts(verdict: AuditedVerdict): Measurement {
  const { passed, failed, flaky, skipped, total } = verdict.tests;
  const ran = total - skipped;
  const counts = `${passed + flaky}/${ran} tests passed${failed > 0 ? `, ${failed} failed` : ''}${flaky > 0 ? ` (${flaky} on a re-run)` : ''}${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  if (ran === 0) return { result: 'not measured', detail: `no test ran (${total} skipped)` };
  if (failed > 0 || verdict.verdict === 'FAIL') return { result: 'FAIL', stage: verdict.failingStage ?? 'unattributed', detail: counts };
  return { result: verdict.outcome === 'degraded' ? 'DEGRADED' : 'PASS', detail: counts };
}

/** Working agrees with a pass (degraded still passes); partial with a failure or degradation; broken with a failure. */
function agreementOf(stated: Exclude<Stated, 'not stated'>, measured: Measurement): Agreement {
  if (measured.result === 'not measured') return 'not measured';
  const agreeing: Record<typeof stated, Array<Measurement['result']>> = { working: ['PASS', 'DEGRADED'], partial: ['FAIL', 'DEGRADED'], broken: ['FAIL'] };
  return agreeing[stated].includes(measured.result) ? 'agrees' : 'contradicted';
}

/**
 * Contradictions first, and among them those the harness saw fail, in the golden path's stage order: so
 * the first row is the claim about the stage that failed. The most specific claim about a stage comes
 * before broader ones ("all 5 events work" before "the golden path works"). Then the contradictions
 * where the run passed what the update calls broken, then the rest as written.
 */
function byReadingOrder(a: AuditedClaim, b: AuditedClaim): number {
  return group(a) - group(b) || (group(a) <= 1 ? stageRank(a) - stageRank(b) || a.stages.length - b.stages.length : 0) || a.line - b.line;
}

function group(claim: AuditedClaim): number {
  if (claim.agreement === 'contradicted') return claim.measured.result === 'FAIL' ? 0 : 1;
  return { agrees: 2, 'not measured': 3, 'not measurable here': 4 }[claim.agreement];
}

function stageRank(claim: AuditedClaim): number {
  const stage = claim.measured.stage ?? claim.stages[0];
  const index = STAGES.findIndex((candidate) => candidate === stage);
  return index === -1 ? STAGES.length : index;
}
