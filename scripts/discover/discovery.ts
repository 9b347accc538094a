import type { Stage } from '../../support/verdict/stages.ts';

/** found: seen on the target; assumed: the contract's default kept, for want of evidence against it; not found: looked for, absent. */
export type Status = 'found' | 'assumed' | 'not found';

/** One thing discover looked for: what the target did, and the settings chosen from it. */
export interface Observation {
  subject: string;
  status: Status;
  /** What the target did, in words: the profile's comment and the terminal table say it. */
  saw: string;
  /** The settings chosen from it, written in this order. */
  settings: Record<string, string>;
}

/**
 * What a healthy service must not do (a socket let in without a credential, events bound to nobody): it
 * is reported, and never configured around, so the smoke run still fails at its stage.
 */
export interface Finding {
  stage: Stage;
  what: string;
}

/** Nothing could be learnt from the target: each attempt, with how it ended. */
export class NothingDiscovered extends Error {
  constructor(
    readonly problem: string,
    readonly tried: readonly string[],
  ) {
    super(`${problem}; tried:\n${tried.map((attempt) => `  - ${attempt}`).join('\n')}`);
    this.name = 'NothingDiscovered';
  }
}

/** What one discover run has seen so far, in the order it looked. */
export class Discovery {
  readonly observations: Observation[] = [];
  readonly findings: Finding[] = [];
  /** Everything recorded on the way (frames, probes, the UI's elements), for the transcript under reports/discover/. */
  readonly evidence: Record<string, unknown> = {};

  constructor(private readonly progress: (line: string) => void = () => {}) {}

  observe(subject: string, status: Status, saw: string, settings: Record<string, string> = {}): void {
    this.observations.push({ subject, status, saw, settings });
    this.progress(`  ${status === 'found' ? '✓' : status === 'assumed' ? '·' : '✗'} ${subject}: ${saw}`);
  }

  find(stage: Stage, what: string): void {
    this.findings.push({ stage, what });
    this.progress(`  ! finding [${stage}]: ${what}`);
  }

  record(step: string, evidence: unknown): void {
    this.evidence[step] = evidence;
  }

  /** Every setting chosen so far, the last choice of a name winning. */
  settings(): Record<string, string> {
    return Object.assign({}, ...this.observations.map((observation) => observation.settings)) as Record<string, string>;
  }
}
