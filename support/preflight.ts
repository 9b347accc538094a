import { chooseChromium } from './browser.ts';
import { pingContainerEngine } from './container-engine.ts';

const SETUP_HINT = 'run `npm run setup` once on this machine (it installs what is missing and writes .env.engine)';

/**
 * Runs before any container or browser starts, and reports every problem at once with its fix, instead
 * of a timeout with a stack trace halfway through the run.
 */
export default async function preflight(): Promise<void> {
  const problems: string[] = [];

  const engineProblem = await pingContainerEngine();
  if (engineProblem) problems.push(`${engineProblem}: ${SETUP_HINT}, or start Docker`);

  const browserProblem = chooseChromium().problem;
  if (browserProblem) problems.push(browserProblem);

  if (problems.length > 0) {
    throw new Error(`Preflight found ${problems.length} problem(s); nothing was started:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
