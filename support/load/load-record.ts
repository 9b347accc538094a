import type { ConcurrentRunsResult, LoadTotals, PhaseWindow, SecondCounts, UserOutcome } from './types.ts';

/** From the first start of a kind of step to the last end of one, on the performance clock. */
class ActivityWindow {
  #first = Infinity;
  #last = -Infinity;

  observe(started: number, ended: number): void {
    this.#first = Math.min(this.#first, started);
    this.#last = Math.max(this.#last, ended);
  }

  get ms(): number {
    return this.#last > this.#first ? this.#last - this.#first : 0;
  }
}

/**
 * Everything one load run measures, filled in by its users as they go: each attempt's outcome, the live
 * totals, who owns which run, and the frames whose run was unknown when they were checked.
 */
export class LoadRecord {
  readonly outcomes: UserOutcome[] = [];
  readonly totals: LoadTotals = { logins: 0, connects: 0, runs: 0, events: 0, errors: 0, leaks: 0 };
  readonly seconds: SecondCounts[] = [];
  /** Visits under way: from a user's arrival to its socket's close. */
  active = 0;
  /** Sockets welcomed and not yet closed. */
  open = 0;
  /** The most of each since the second clock last read them: a whole population can open and close between two ticks. */
  readonly peaks = { active: 0, open: 0 };
  /** The phase running now, by index. */
  phase = 0;
  readonly #windows = { login: new ActivityWindow(), connect: new ActivityWindow(), run: new ActivityWindow() };
  readonly #owners = new Map<unknown, string>();
  readonly #unknownRuns: Array<{ attempt: UserOutcome; runId: unknown; frame: string }> = [];

  /** An attempt that ended: a verified turn, or the stage that failed it. */
  add(attempt: UserOutcome): void {
    attempt.at = Date.now();
    this.outcomes.push(attempt);
    if (attempt.failure) this.totals.errors++;
    else if (attempt.verifiedEvents > 0) {
      this.totals.runs++;
      this.totals.events += attempt.verifiedEvents;
    }
  }

  loggedIn(started: number): void {
    this.totals.logins++;
    this.#windows.login.observe(started, performance.now());
  }

  arrived(): void {
    this.active++;
    this.peaks.active = Math.max(this.peaks.active, this.active);
  }

  left(): void {
    this.active--;
  }

  connected(started: number): void {
    this.totals.connects++;
    this.open++;
    this.peaks.open = Math.max(this.peaks.open, this.open);
    this.#windows.connect.observe(started, performance.now());
  }

  disconnected(): void {
    this.open--;
  }

  ranTurn(started: number): void {
    this.#windows.run.observe(started, performance.now());
  }

  /** The run is this user's: a frame of it on anyone else's socket is a leak. */
  claimRun(runId: unknown, email: string): void {
    this.#owners.set(runId, email);
  }

  ownerOf(runId: unknown): string | undefined {
    return this.#owners.get(runId);
  }

  leak(attempt: UserOutcome, description: string): void {
    attempt.leaks.push(description);
    this.totals.leaks++;
  }

  /** A frame of a run nobody had claimed when it was checked: judged once every run is known. */
  unknownRun(attempt: UserOutcome, runId: unknown, frame: string): void {
    this.#unknownRuns.push({ attempt, runId, frame });
  }

  /** At the end: the unknown runs that a user of this load run turned out to own were leaks too. */
  judgeUnknownRuns(): void {
    for (const { attempt, runId, frame } of this.#unknownRuns.splice(0)) {
      const owner = this.#owners.get(runId);
      if (owner !== undefined && owner !== attempt.email) this.leak(attempt, `${frame} of ${owner}'s run ${String(runId)}`);
    }
  }

  result(phases: PhaseWindow[], clientCpuMs: number): ConcurrentRunsResult {
    return {
      outcomes: this.outcomes,
      loginPhaseMs: this.#windows.login.ms,
      connectPhaseMs: this.#windows.connect.ms,
      runPhaseMs: this.#windows.run.ms,
      seconds: this.seconds,
      phases,
      clientCpuMs,
    };
  }
}
