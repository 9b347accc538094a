import { loadEnvFiles } from '../../support/config/env-files.ts';
import { preflight } from '../../support/config/preflight.ts';
import { SettingsError, loadSettings, type HarnessSettings, type SettingsOptions } from '../../support/config/settings.ts';
import { startLocalStack, type LocalStack } from '../../support/stack/local-stack.ts';
import { useProtocol } from '../../support/protocol/profile.ts';
import { PreflightFailure } from '../../support/verdict/stages.ts';
import { exitWithProblems } from './options.ts';

/**
 * The start of a command that uses the suite's settings: its own problems and the settings' are listed
 * all at once (exit 2), then the suite's preflight runs (the container engine locally, the target's
 * /health externally: a clear failure in seconds instead of a stack trace from deep inside
 * Testcontainers), and the target's protocol profile is put in use. `check` adds the problems only
 * the settings can show; `options` says what the command needs of them.
 */
export async function startCommand(
  command: string,
  usage: string,
  problems: string[],
  check: (settings: HarnessSettings) => string[] | Promise<string[]> = () => [],
  options: SettingsOptions = {},
): Promise<HarnessSettings> {
  loadEnvFiles();
  let settings: HarnessSettings | undefined;
  try {
    settings = loadSettings(process.env, options);
    problems.push(...(await check(settings)));
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !settings) exitWithProblems(command, usage, problems);
  try {
    await preflight(process.env, options);
  } catch (error) {
    if (!(error instanceof PreflightFailure)) throw error;
    // The preflight's message says what is wrong, that nothing was started, and how to fix it.
    console.error(`${command}: ${error.message}`);
    process.exit(2);
  }
  useProtocol(settings.protocol);
  return settings;
}

/**
 * The local stack of a command, stopped by `stop()` and also when the command is interrupted, even while
 * it is still starting: the stop then waits for the start to finish, and stops what it started. Every
 * call of `stop()` shares one stop, so the command's own `finally` waits for the interrupted one, whose
 * exit code (130 or 143) wins.
 */
export function interruptibleLocalStack(settings: HarnessSettings): { start(): Promise<LocalStack>; stop(): Promise<void> } {
  let starting: Promise<LocalStack> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const stack = await starting?.catch(() => undefined);
      await stack?.stop();
    })());
  const stopThenExit = (code: number) => {
    console.error('\ninterrupted: stopping the local stack (Postgres, Redis, the reference service)');
    void stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stopThenExit(130));
  process.once('SIGTERM', () => stopThenExit(143));
  return {
    async start() {
      starting = startLocalStack(settings);
      const stack = await starting;
      // Interrupted while starting: the command goes no further; the stop exits the process.
      if (stopping) await new Promise<never>(() => {});
      return stack;
    },
    stop,
  };
}
