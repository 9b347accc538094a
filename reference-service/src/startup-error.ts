/** Exit code of every startup failure: a missing setting, dependency or module. */
export const STARTUP_FAILURE_EXIT_CODE = 3;

/**
 * A failure before the service is ready. `phase` names the startup phase and `fix` tells the operator
 * what to change; main.ts prints both on one line and exits with STARTUP_FAILURE_EXIT_CODE.
 */
export class StartupError extends Error {
  constructor(
    readonly phase: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }

  oneLine(): string {
    return `reference-service: startup failed in phase '${this.phase}': ${this.message}. Fix: ${this.fix}`;
  }
}
