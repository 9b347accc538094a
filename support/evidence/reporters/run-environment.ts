import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chooseChromium } from '../../ui/browser.ts';
import { contractDifferences } from '../../config/settings.ts';
import { loadSettings } from '../../config/settings.ts';
import type { TargetInfo } from '../../verdict/verdict.ts';
import { evidenceLocations } from '../../config/settings/evidence.ts';

const HEALTH_TIMEOUT_MS = 2000;

/** A URL fit for a public report: no user info, no query (tokens travel there), no fragment. */
export function publicUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

/** What is under test; for an external target, what its HEALTH_PATH says it is (version, commit), if anything. */
export async function describeTarget(env: NodeJS.ProcessEnv = process.env, options: { askHealth: boolean } = { askHealth: true }): Promise<TargetInfo> {
  let settings;
  try {
    settings = loadSettings(env);
  } catch {
    // The preflight reports bad settings as the config stage; the verdict still names what it can.
    return {
      kind: env.TARGET === 'external' ? 'external' : 'local',
      url: publicUrl(env.BASE_URL),
      profile: env.TARGET_PROFILE,
      service: undefined,
      differences: [],
    };
  }
  const differences = contractDifferences(settings);
  if (settings.target === 'local') return { kind: 'local', url: undefined, profile: settings.profile, service: 'bundled reference service', differences };
  const service = options.askHealth ? await reportedVersion(`${settings.baseUrl!.replace(/\/$/, '')}${settings.healthPath}`) : undefined;
  return { kind: 'external', url: publicUrl(settings.baseUrl), profile: settings.profile, service, differences };
}

async function reportedVersion(healthUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(healthUrl, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = (await response.json()) as Record<string, unknown>;
    const fields = ['service', 'version', 'commit', 'git_sha', 'build'].filter(
      (field) => typeof body[field] === 'string' && (body[field] as string).length <= 80,
    );
    return fields.length > 0 ? fields.map((field) => `${field} ${String(body[field])}`).join(', ') : undefined;
  } catch {
    return undefined;
  }
}

export function describeHarness(env: NodeJS.ProcessEnv = process.env): { version: string; commit: string | undefined } {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return { version, commit: env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? gitCommit() };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function describeBrowser(): string {
  const executable = chooseChromium().launchOptions.executablePath ?? chromium.executablePath();
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return `Chromium at ${executable}`;
  }
}

export interface Executor {
  name: string;
  type: string;
  buildName?: string;
  buildUrl?: string;
  buildOrder?: number;
  reportUrl?: string;
}

/** Who ran the tests, from the usual CI variables (GitHub Actions, GitLab CI, Jenkins), else this machine. */
export function describeExecutor(env: NodeJS.ProcessEnv = process.env): Executor {
  const { reportUrl } = evidenceLocations(env);
  if (env.GITHUB_ACTIONS === 'true') {
    return {
      name: 'GitHub Actions',
      type: 'github',
      buildName: `${env.GITHUB_WORKFLOW ?? 'workflow'} #${env.GITHUB_RUN_NUMBER ?? '?'}`,
      buildUrl: `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
      buildOrder: Number(env.GITHUB_RUN_NUMBER) || undefined,
      reportUrl,
    };
  }
  if (env.GITLAB_CI === 'true') {
    return {
      name: 'GitLab CI',
      type: 'gitlab',
      buildName: `${env.CI_JOB_NAME} #${env.CI_PIPELINE_IID}`,
      buildUrl: env.CI_JOB_URL,
      buildOrder: Number(env.CI_PIPELINE_IID) || undefined,
      reportUrl,
    };
  }
  if (env.JENKINS_URL) {
    return {
      name: 'Jenkins',
      type: 'jenkins',
      buildName: `${env.JOB_NAME} #${env.BUILD_NUMBER}`,
      buildUrl: env.BUILD_URL,
      buildOrder: Number(env.BUILD_NUMBER) || undefined,
      reportUrl,
    };
  }
  return { name: env.CI ? 'CI' : 'local run', type: env.CI ? 'ci' : 'local', reportUrl };
}
