import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, Suite, TestCase, TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { decideVerdict, verdictMarkdown, type TargetInfo, type TestRecord } from '../../verdict/verdict.ts';
import { stageOf, stageOfStepTitle, type Stage } from '../../verdict/stages.ts';
import { Redactor } from '../redaction/redact.ts';
import { describeBrowser, describeExecutor, describeHarness, describeTarget } from './run-environment.ts';
import { deleteSecretsFile } from '../redaction/secrets.ts';
import { scrubRunOutput } from '../redaction/scrub.ts';
import { evidenceLocations } from '../../config/settings/evidence.ts';

export interface EvidenceReporterOptions {
  /** `verdict`: a whole run (or the merge of shards); `scrub-only`: one shard, whose verdict is the merge's. */
  mode: 'verdict' | 'scrub-only';
  reportsDir: string;
  allureResultsDir: string;
  /**
   * Everything this run's reporters and workers write (folders or files), to scrub when it ends. Not all
   * of reports/: reports built earlier from scrubbed results are left as they are.
   */
  runOutput: string[];
}

/**
 * Runs last, after every other reporter has written its files: decides the verdict
 * (reports/verdict.json and verdict.md), gives Allure the environment and executor, then scrubs every
 * secret out of reports/ and test-results/ (traces included) and forgets the run's secrets.
 */
export default class EvidenceReporter implements Reporter {
  private readonly startedAt = new Date();
  private suite: Suite | undefined;
  private target: Promise<TargetInfo> | undefined;
  private readonly runErrors: Array<{ stage?: Stage; message: string }> = [];

  constructor(private readonly options: EvidenceReporterOptions) {
    // allure-playwright adds to its folder and never empties it: without this, a report would mix runs.
    if (options.mode === 'verdict') rmSync(options.allureResultsDir, { recursive: true, force: true });
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.suite = suite;
    this.target = describeTarget();
  }

  onError(error: TestError): void {
    const message = withoutErrorClass(error.message ?? error.value ?? 'unknown error');
    this.runErrors.push({ stage: stageOf({ message }), message });
  }

  async onEnd(result: FullResult): Promise<void> {
    const redactor = new Redactor();
    if (this.options.mode === 'scrub-only') {
      scrubRunOutput(this.options.runOutput, redactor);
      deleteSecretsFile();
      return;
    }
    // Without onBegin the preflight failed, and a target that did not answer it need not be asked again.
    const target = (await this.target) ?? (await describeTarget(process.env, { askHealth: false }));
    const verdict = redactor.redactValue(
      decideVerdict({
        tests: (this.suite?.allTests() ?? []).map(recordOf),
        runErrors: this.runErrors,
        runStatus: result.status,
        startedAt: this.startedAt,
        finishedAt: new Date(),
        target,
        harness: describeHarness(),
        reportUrl: evidenceLocations().reportUrl,
      }),
    );
    mkdirSync(this.options.reportsDir, { recursive: true });
    writeFileSync(join(this.options.reportsDir, 'verdict.json'), `${JSON.stringify(verdict, null, 2)}\n`);
    writeFileSync(join(this.options.reportsDir, 'verdict.md'), verdictMarkdown(verdict));
    this.describeRunToAllure(target, verdict.harness);

    scrubRunOutput(this.options.runOutput, redactor);
    deleteSecretsFile();
  }

  printsToStdio(): boolean {
    return false;
  }

  private describeRunToAllure(target: TargetInfo, harness: { version: string; commit: string | undefined }): void {
    mkdirSync(this.options.allureResultsDir, { recursive: true });
    const environment: Record<string, string | undefined> = {
      Target: target.kind === 'local' ? 'local (bundled reference service, Testcontainers)' : `external ${target.url ?? ''}`,
      Profile: target.profile,
      Service: target.service,
      'Differences from the contract': target.differences.join('; ') || 'none',
      Harness: `${harness.version}${harness.commit ? ` @ ${harness.commit}` : ''}`,
      Node: process.version,
      Browser: describeBrowser(),
    };
    const properties = Object.entries(environment)
      .filter(([, value]) => value)
      .map(([key, value]) => `${key}=${value!.replace(/\\/g, '\\\\').replace(/\n/g, ' ')}`)
      .join('\n');
    writeFileSync(join(this.options.allureResultsDir, 'environment.properties'), `${properties}\n`);
    writeFileSync(join(this.options.allureResultsDir, 'executor.json'), JSON.stringify(describeExecutor()));
  }
}

function recordOf(test: TestCase): TestRecord {
  const outcome = test.outcome();
  const final = test.results.at(-1);
  const firstFailed = test.results.find((result) => result.status !== 'passed' && result.status !== 'skipped');
  const decisive = outcome === 'flaky' ? firstFailed : outcome === 'unexpected' ? final : undefined;
  return {
    title: test.titlePath().filter(Boolean).slice(1).join(' › '),
    tags: test.tags,
    outcome,
    attempts: test.results.length,
    durationMs: test.results.reduce((sum, result) => sum + result.duration, 0),
    failure: decisive ? failureOf(decisive) : undefined,
    stageTimings: final ? stageSteps(final.steps).map((step) => ({ stage: stageOfStep(step)!, durationMs: step.duration })) : [],
    degradations: (final?.annotations ?? []).filter((annotation) => annotation.type === 'degraded').map((annotation) => annotation.description ?? 'degraded'),
  };
}

function failureOf(result: TestResult): { stage?: Stage; message: string } {
  const message = withoutErrorClass(result.error?.message ?? result.error?.value ?? `the test ended as ${result.status}`);
  const marked = stageOf({ message });
  if (marked) return { stage: marked, message };
  // No marker (a test timeout, say): the stage whose step failed, or the one time ran out in.
  const steps = stageSteps(result.steps);
  const failedStep = steps.findLast((step) => step.error) ?? (result.status === 'timedOut' ? steps.at(-1) : undefined);
  return { stage: failedStep ? stageOfStep(failedStep) : undefined, message };
}

/** The outermost steps titled `<stage>: ...`, in the order they ran. */
function stageSteps(steps: TestStep[]): TestStep[] {
  return steps.flatMap((step) => (step.category === 'test.step' && stageOfStep(step) ? [step] : stageSteps(step.steps)));
}

function stageOfStep(step: TestStep): Stage | undefined {
  return stageOfStepTitle(step.title);
}

/** Reporters see "StageFailure: [stage:x] ..." where the test threw "[stage:x] ...". */
function withoutErrorClass(message: string): string {
  return message.replace(/^\w+: (?=\[stage:)/, '');
}
