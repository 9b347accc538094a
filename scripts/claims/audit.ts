// Sets each claim of a status update beside what the run measured for the stages it is about.
import type { Verdict } from '../../support/verdict/verdict.ts';
import { GOLDEN_PATH_STAGES, STAGES, type Stage } from '../../support/verdict/stages.ts';
import { EVERY_STAGE, stagesForClaim } from './claim-stages.ts';
import type { FoundClaim, Stated } from './parse-update.ts';

/** The parts of reports/verdict.json the audit reads. */
export type AuditedVerdict = Pick<
  Verdict,
  'verdict' | 'outcome' | 'failingStage' | 'category' | 'reason' | 'stages' | 'tests' | 'failures' | 'degradations' | 'reportUrl'
>;

export interface Measurement {
  result: 'PASS' | 'FAIL' | 'DEGRADED' | 'not measured';
  /** The stage that failed, for a FAIL. */
  stage?: Stage | 'unattributed';
  /** The evidence in one line: the failure's message, the stages not run, the test counts. */
  detail: string;
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
}

/** The claims with their measurements, in the order a reader needs them (see byReadingOrder). */
export function auditClaims(claims: readonly FoundClaim[], verdict: AuditedVerdict): AuditedClaim[] {
  return claims.map((claim) => auditClaim(claim, verdict)).sort(byReadingOrder);
}

function auditClaim(claim: FoundClaim, verdict: AuditedVerdict): AuditedClaim {
  const mapping = stagesForClaim(claim.text);
  const notMeasurable = (reason: string): AuditedClaim => ({
    ...claim,
    topics: mapping.topics,
    stages: mapping.stages,
    measuredBy: 'stages',
    measured: { result: 'not measured', detail: reason },
    agreement: 'not measurable here',
    unmeasurable: reason,
  });
  if (mapping.unmeasurable) return notMeasurable(mapping.unmeasurable);
  // A test count with no topic is about the whole suite; one that names a topic ("4/4 auth tests") is
  // judged by that topic's stages, since the verdict does not count tests per stage.
  const countsTheRun = claim.testCount !== undefined && mapping.stages.length === 0;
  const stages = countsTheRun ? [...EVERY_STAGE] : mapping.stages;
  if (stages.length === 0) return notMeasurable('it names nothing the harness tests (no keyword of scripts/claims/claim-stages.ts)');
  if (claim.stated === 'not stated') return notMeasurable('it states no status (working, broken or partial) to check');
  const measured = countsTheRun ? measureTestCounts(verdict) : measureStages(stages, verdict);
  return {
    ...claim,
    topics: mapping.topics,
    stages,
    measuredBy: countsTheRun ? 'test counts' : 'stages',
    measured,
    agreement: agreementOf(claim.stated, measured),
  };
}

function measureStages(stages: readonly Stage[], verdict: AuditedVerdict): Measurement {
  const statusOf = (stage: Stage) => verdict.stages.find((entry) => entry.stage === stage)?.status ?? 'not run';
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
  const notRun = stages.filter((stage) => statusOf(stage) === 'not run');
  if (notRun.length === stages.length) return { result: 'not measured', detail: `not run: ${notRun.join(', ')}` };
  const degradation = stages.includes('latency') && verdict.outcome === 'degraded' ? verdict.degradations[0] : undefined;
  const alsoNotRun = notRun.length > 0 ? `not run: ${notRun.join(', ')}` : '';
  if (degradation) return { result: 'DEGRADED', detail: [degradation.message, alsoNotRun].filter(Boolean).join('; ') };
  return { result: 'PASS', detail: alsoNotRun };
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
