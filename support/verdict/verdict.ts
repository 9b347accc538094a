import { STAGE_CATEGORIES, UNATTRIBUTED_CATEGORY } from './categories.ts';
import { STAGES, earliestStage, type Stage } from './stages.ts';

export const CLAIM = 'A user logs in and gets an AI response';

/** One test as the run ended for it: the final attempt decides, the first failure stays as evidence. */
export interface TestRecord {
  title: string;
  tags: string[];
  outcome: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  attempts: number;
  durationMs: number;
  /** The failure of the final attempt (unexpected) or of the first one (flaky). */
  failure?: { stage?: Stage; message: string };
  /** Time spent in each stage's steps during the final attempt. */
  stageTimings: Array<{ stage: Stage; durationMs: number }>;
  /** Latencies of the final attempt past a degraded threshold (but within the failing one). */
  degradations?: string[];
}

export interface TargetInfo {
  kind: 'local' | 'external';
  /** Without credentials. */
  url: string | undefined;
  profile: string | undefined;
  /** What the target says it is, when it says. */
  service: string | undefined;
  /** What the settings allowed the target to do differently from the contract, in words (none: the contract as written). */
  differences: string[];
}

export interface VerdictInput {
  tests: TestRecord[];
  /** Errors outside any test: the preflight's config or infrastructure failure. */
  runErrors: Array<{ stage?: Stage; message: string }>;
  runStatus: 'passed' | 'failed' | 'timedout' | 'interrupted';
  startedAt: Date;
  finishedAt: Date;
  target: TargetInfo;
  harness: { version: string; commit: string | undefined };
  reportUrl: string | undefined;
}

export type StageStatus = 'passed' | 'failed' | 'not run';

export interface Verdict {
  claim: string;
  verdict: 'PASS' | 'FAIL';
  /** Monitoring-style: the final attempt decides; flaky and degraded runs pass, and say so. */
  outcome: 'passed' | 'degraded' | 'flaky' | 'failed';
  /** The earliest stage that failed, in the golden path's order, cross-cutting stages after it. */
  failingStage: Stage | 'unattributed' | null;
  category: string | null;
  reason: string | null;
  stages: Array<{ stage: Stage; status: StageStatus; durationMs: number }>;
  target: TargetInfo;
  harness: { version: string; commit: string | undefined };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  tests: { total: number; passed: number; failed: number; flaky: number; skipped: number };
  failures: Array<{ test: string; stage: Stage | 'unattributed'; message: string }>;
  /** Tests that failed and then passed on a re-run: the final attempt decides, the first failure is kept. */
  flakes: Array<{ test: string; stage: Stage | 'unattributed'; message: string }>;
  /** Latencies past a degraded threshold, in tests that passed. */
  degradations: Array<{ test: string; message: string }>;
  reportUrl: string | null;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { tests, runErrors } = input;
  const count = (outcome: TestRecord['outcome']) => tests.filter((test) => test.outcome === outcome).length;
  const counts = { total: tests.length, passed: count('expected'), failed: count('unexpected'), flaky: count('flaky'), skipped: count('skipped') };

  const summary = (test: TestRecord) => ({
    test: test.title,
    stage: test.failure?.stage ?? ('unattributed' as const),
    message: firstLine(test.failure?.message ?? 'failed without an error'),
  });
  const failures = [
    ...runErrors.map((error) => ({ test: '(before any test)', stage: error.stage ?? ('unattributed' as const), message: firstLine(error.message) })),
    ...tests.filter((test) => test.outcome === 'unexpected').map(summary),
  ];
  const failedStages = new Set(failures.map((failure) => failure.stage));
  const failingStage = earliestStage(failedStages) ?? (failures.length > 0 ? 'unattributed' : null);

  const nothingPassed = counts.passed + counts.flaky === 0;
  const failed = failures.length > 0 || input.runStatus !== 'passed' || nothingPassed;
  const degradations = tests
    .filter((test) => test.outcome === 'expected' || test.outcome === 'flaky')
    .flatMap((test) => (test.degradations ?? []).map((message) => ({ test: test.title, message })));
  const outcome = failed ? 'failed' : counts.flaky > 0 ? 'flaky' : degradations.length > 0 ? 'degraded' : 'passed';
  const reason = failingStage
    ? failures.find((failure) => failure.stage === failingStage)!.message
    : failed
      ? nothingPassed
        ? 'no test passed: the run selected no test, or skipped them all'
        : `the run ended as ${input.runStatus}`
      : null;

  const ranStages = new Set(tests.flatMap((test) => test.stageTimings.map((timing) => timing.stage)));
  const preflightPassed = runErrors.length === 0 && tests.some((test) => test.outcome !== 'skipped');
  const goldenPath = tests.filter((test) => test.tags.includes('@golden-path'));
  const stages = STAGES.map((stage) => {
    const reached = ranStages.has(stage) || ((stage === 'config' || stage === 'infrastructure') && preflightPassed);
    const status: StageStatus = failedStages.has(stage) ? 'failed' : reached ? 'passed' : 'not run';
    const durationMs = goldenPath
      .flatMap((test) => test.stageTimings)
      .filter((timing) => timing.stage === stage)
      .reduce((sum, timing) => sum + timing.durationMs, 0);
    return { stage, status, durationMs: Math.round(durationMs) };
  });

  return {
    claim: CLAIM,
    verdict: failed ? 'FAIL' : 'PASS',
    outcome,
    failingStage,
    category: failingStage === null ? null : failingStage === 'unattributed' ? UNATTRIBUTED_CATEGORY.name : STAGE_CATEGORIES[failingStage].name,
    reason,
    stages,
    target: input.target,
    harness: input.harness,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    tests: counts,
    failures,
    flakes: tests.filter((test) => test.outcome === 'flaky').map(summary),
    degradations,
    reportUrl: input.reportUrl ?? null,
  };
}

const STATUS_MARK: Record<StageStatus, string> = { passed: '✅ passed', failed: '❌ failed', 'not run': '⏭️ not run' };

/** A short Markdown summary for an issue comment. */
export function verdictMarkdown(verdict: Verdict): string {
  const headline =
    verdict.verdict === 'PASS'
      ? `✅ PASS${verdict.outcome === 'flaky' ? ' (flaky: passed on re-run)' : verdict.outcome === 'degraded' ? ' (degraded: slower than it should be)' : ''}`
      : `❌ FAIL${verdict.failingStage ? ` at **${verdict.failingStage}** (${verdict.category})` : ''}`;
  const { target, tests } = verdict;
  const lines = [
    `### Golden path: ${headline}`,
    '',
    `> Claim: ${verdict.claim}.`,
    '',
    `Target: ${[target.url ? `\`${target.url}\`` : undefined, target.service, target.kind, target.profile ? `profile ${target.profile}` : undefined].filter(Boolean).join(', ')} · ` +
      `harness ${verdict.harness.version}${verdict.harness.commit ? ` @ ${verdict.harness.commit.slice(0, 12)}` : ''} · ${verdict.finishedAt} · ${seconds(verdict.durationMs)}`,
    '',
    target.differences.length > 0
      ? `Allowed to differ from the contract: ${target.differences.map(escapeMarkdown).join('; ')}.`
      : 'Held to the contract as written: no setting relaxed a check.',
    '',
    '| Stage | Result | Time in golden-path tests |',
    '|---|---|---|',
    ...verdict.stages.map(({ stage, status, durationMs }) => `| ${stage} | ${STATUS_MARK[status]} | ${status === 'not run' ? '–' : seconds(durationMs)} |`),
    '',
    `Tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.flaky} flaky, ${tests.skipped} skipped (${tests.total} in all).`,
  ];
  if (verdict.reason && verdict.failures.length === 0) lines.push('', `Why: ${escapeMarkdown(verdict.reason)}`);
  if (verdict.failures.length > 0) {
    const shown = verdict.failures.slice(0, 10);
    // A message carries its own [stage:x] marker; an unattributed one gets a label instead.
    const label = (failure: Verdict['failures'][number]) => (failure.stage === 'unattributed' ? '[unattributed] ' : '');
    lines.push('', '**Failures**', ...shown.map((failure) => `- ${escapeMarkdown(failure.test)}: ${label(failure)}${escapeMarkdown(failure.message)}`));
    if (verdict.failures.length > shown.length) lines.push(`- … and ${verdict.failures.length - shown.length} more in the report`);
  }
  if (verdict.degradations.length > 0) {
    lines.push(
      '',
      '**Degraded (past a degraded latency threshold, within the failing one)**',
      ...verdict.degradations.slice(0, 10).map((item) => `- ${escapeMarkdown(item.test)}: ${escapeMarkdown(item.message)}`),
    );
  }
  if (verdict.flakes.length > 0) {
    lines.push(
      '',
      '**Flaky (failed, then passed on re-run)**',
      ...verdict.flakes.slice(0, 10).map((flake) => `- ${escapeMarkdown(flake.test)}: ${escapeMarkdown(flake.message)}`),
    );
  }
  lines.push('', verdict.reportUrl ? `[Full report](${verdict.reportUrl})` : "_No REPORT_URL was set: the report is in the run's artifacts._");
  return `${lines.join('\n')}\n`;
}

/** The message's first line; a heading that ends in ":" keeps the list under it (every setting problem, say). */
function firstLine(message: string): string {
  const lines = message.split('\n');
  const at = lines.findIndex((text) => text.trim() !== '');
  let line = at < 0 ? message : lines[at]!;
  if (line.trimEnd().endsWith(':')) {
    const items = lines
      .slice(at + 1)
      .filter((text) => /^\s*- /.test(text))
      .map((text) => text.replace(/^\s*- /, ''));
    if (items.length > 0) line = `${line.trimEnd()} ${items.join('; ')}`;
  }
  const limit = 600;
  return line.length > limit ? `${line.slice(0, limit - 3)}...` : line;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
