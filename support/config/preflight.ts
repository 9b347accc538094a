import { chooseChromium } from '../ui/browser.ts';
import { pingContainerEngine } from '../stack/container-engine.ts';
import { PreflightFailure } from '../verdict/stages.ts';
import { loadEnvFiles } from './env-files.ts';
import { problemList } from './problem-list.ts';
import { SettingsError, loadSettings, type HarnessSettings, type SettingsOptions } from './settings.ts';

const SETUP_HINT = 'run `npm run setup` once on this machine (it installs what is missing and writes .env.engine)';
const REACHABILITY_TIMEOUT_MS = 3000;

/** What must answer before a local run: the container engine and a browser. */
async function localProblems(): Promise<string[]> {
  const problems: string[] = [];
  const engine = await pingContainerEngine();
  if (engine) problems.push(`${engine}: ${SETUP_HINT}, or start Docker`);
  const browser = chooseChromium().problem;
  if (browser) problems.push(browser);
  return problems;
}

/** What must answer before an external run: the target's liveness endpoint (and the auth host's, where it is its own), and a browser. */
async function externalProblems(settings: HarnessSettings): Promise<string[]> {
  const hosts = [{ setting: 'BASE_URL', url: settings.baseUrl! }];
  if (settings.login.authUrl !== undefined && settings.login.authUrl !== settings.baseUrl) hosts.push({ setting: 'AUTH_URL', url: settings.login.authUrl });
  const problems = (await Promise.all(hosts.map(({ setting, url }) => healthProblem(setting, url, settings.healthPath)))).filter(
    (problem) => problem !== undefined,
  );
  const browser = chooseChromium().problem;
  if (browser) problems.push(browser);
  return problems;
}

async function healthProblem(setting: string, baseUrl: string, healthPath: string): Promise<string | undefined> {
  const health = `${baseUrl.replace(/\/$/, '')}${healthPath}`;
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(REACHABILITY_TIMEOUT_MS) });
    if (response.status === 404) return `${health} answered HTTP 404: if the target's liveness endpoint is elsewhere, set HEALTH_PATH (e.g. /healthz)`;
    if (!response.ok) return `${health} answered HTTP ${response.status}: the target is up but not healthy`;
    return undefined;
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${REACHABILITY_TIMEOUT_MS} ms` : describeFetchError(error);
    return `${setting} is unreachable: ${health}: ${reason}. Check the address, the VPN, and that the deploy finished`;
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * Runs before any container or browser starts. Settings are checked first and all at once (the config
 * stage); then what the run needs must answer (the infrastructure stage), in seconds, not after a
 * 30-second timeout halfway through.
 */
export async function preflight(env: NodeJS.ProcessEnv, options: SettingsOptions = {}): Promise<void> {
  const { problem: profileProblem } = loadEnvFiles(env);
  let settings: HarnessSettings | undefined;
  const configProblems = profileProblem ? [profileProblem] : [];
  try {
    settings = loadSettings(env, options);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    configProblems.push(...error.problems);
  }
  if (configProblems.length > 0 || !settings) {
    throw new PreflightFailure('config', problemList('setting(s) missing or malformed; nothing was started', configProblems));
  }

  const problems = settings.target === 'local' ? await localProblems() : await externalProblems(settings);
  if (problems.length > 0) {
    throw new PreflightFailure('infrastructure', problemList('problem(s) before the run; nothing was started', problems));
  }
}

/**
 * Playwright's globalSetup entry. Playwright calls it with the config, so it must not take that for the
 * environment (which once made every run check the local engine, even TARGET=external).
 */
export default async function globalSetup(): Promise<void> {
  await preflight(process.env);
}
