/** A failure the reader can act on: what is wrong, how to fix it, and the exit code of `npm run report`. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly exitCode = 1,
    /** Lines listed under the message, e.g. each offending file and match. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/** Exit code when there is nothing to report on, as opposed to 1 for a failed generation or check. */
export const NO_RESULTS_EXIT_CODE = 2;
