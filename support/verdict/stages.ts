// The stage model, free of Playwright: `npm run report` and the reporters read it without loading the runner.

/** The golden path's stages in order: a run's failure belongs to the first stage that fails. */
export const GOLDEN_PATH_STAGES = ['config', 'infrastructure', 'auth', 'websocket', 'agent-events', 'ai-response', 'ui', 'persistence'] as const;
/** Checks that cut across the path. */
export const CROSS_CUTTING_STAGES = ['isolation', 'security', 'latency'] as const;

export type Stage = (typeof GOLDEN_PATH_STAGES)[number] | (typeof CROSS_CUTTING_STAGES)[number];

/** Every stage, in the order a verdict reads them: the golden path's, then the cross-cutting ones. */
export const STAGES: readonly Stage[] = [...GOLDEN_PATH_STAGES, ...CROSS_CUTTING_STAGES];

const MARKER = /^\[stage:([a-z-]+)\] /;
/** inStage titles its steps `<stage>: <title>` (stepTitle); reporters read the stage back from the title. */
const STEP_TITLE = /^([a-z-]+): /;

export function stepTitle(stage: Stage, title: string): string {
  return `${stage}: ${title}`;
}

function asStage(name: string | undefined): Stage | undefined {
  return STAGES.find((stage) => stage === name);
}

/**
 * A failure attributed to a stage. The message starts with the marker `[stage:<name>]`, which is what
 * reports and verdicts key on: stable and machine-readable, unlike the wording after it.
 */
export class StageFailure extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(`[stage:${stage}] ${message}`);
    this.name = 'StageFailure';
  }
}

/**
 * A StageFailure that says what is wrong with the run's settings or surroundings (the preflight's), not
 * with the harness's code. Its stack is its message alone, so Playwright prints the problems and their
 * fixes without a code frame of the harness line that threw them, which reads like a crash. An error
 * in the harness itself is never one of these, and keeps its stack.
 */
export class PreflightFailure extends StageFailure {
  constructor(stage: 'config' | 'infrastructure', message: string) {
    super(stage, message);
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The stage named by an error's marker, if it has one. */
export function stageOf(error: { message?: string } | undefined): Stage | undefined {
  return asStage(MARKER.exec(error?.message ?? '')?.[1]);
}

/** The stage an inStage step belongs to, read from its title. */
export function stageOfStepTitle(title: string): Stage | undefined {
  return asStage(STEP_TITLE.exec(title)?.[1]);
}

/** The earliest of these stages in the verdict's order (names that are no stage are ignored). */
export function earliestStage(stages: Iterable<string>): Stage | undefined {
  const named = new Set(stages);
  return STAGES.find((stage) => named.has(stage));
}
