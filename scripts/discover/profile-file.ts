import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { SettingsError, loadSettings } from '../../support/config/settings.ts';
import { knownSecrets } from '../../support/evidence/redaction/secrets.ts';
import type { Finding, Observation } from './discovery.ts';

/** The first words of every profile discover writes: a file without them is someone else's, and is left alone. */
export const PROFILE_HEADER = '# Written by `npm run discover';

export interface ProfileContent {
  name: string;
  baseUrl: string;
  writtenAt: Date;
  observations: readonly Observation[];
  findings: readonly Finding[];
  /** The secret settings given to discover (names only): the smoke run needs them exported again. */
  secretsToExport: readonly string[];
}

export function profilePath(name: string, directory = process.cwd()): string {
  return join(directory, `.env.${name}`);
}

/**
 * Why `.env.<name>` must not be written, or undefined: a file discover did not write (e.g. .env.engine) is
 * never overwritten; one it wrote only with --force, as it may hold settings a team adjusted by hand.
 */
export function profileClash(name: string, force: boolean, directory = process.cwd()): string | undefined {
  const path = profilePath(name, directory);
  if (!existsSync(path)) return undefined;
  if (!readFileSync(path, 'utf8').startsWith(PROFILE_HEADER)) {
    return `--profile ${name}: ${path} exists and was not written by discover: choose another name, or move that file away`;
  }
  return force ? undefined : `--profile ${name}: ${path} exists (discover wrote it earlier): pass --force to write over it, or choose another name`;
}

/**
 * The profile as a dotenv file: every chosen setting under a comment saying what the target did, the
 * findings, and which secrets to export. Values are quoted so that dotenv reads them back unchanged (a
 * `#` would start a comment in a bare value); the caller checks that it does.
 */
export function renderProfile(content: ProfileContent): string {
  const lastSetter = new Map<string, Observation>();
  for (const observation of content.observations) for (const name of Object.keys(observation.settings)) lastSetter.set(name, observation);
  const exports = content.secretsToExport.length > 0 ? content.secretsToExport.map((name) => `${name}=…`).join(' ') : '(none were given)';
  const lines = [
    `${PROFILE_HEADER} -- --profile ${content.name}\` at ${content.writtenAt.toISOString()}, from what ${content.baseUrl} answered.`,
    '# Run discover again to rewrite it; a setting exported in the shell wins over this file.',
    '# No secret is in this file. Export them in the shell (or let CI pass them) before the smoke run:',
    `#   export ${exports}`,
    `#   TARGET_PROFILE=${content.name} npm run smoke`,
    ...(content.findings.length > 0
      ? [
          '#',
          '# Findings: what a healthy service must not do. They are not configured around: the smoke run fails on them at their stage.',
          ...content.findings.map(({ stage, what }) => `#   [${stage}] ${oneLine(what)}`),
        ]
      : []),
    '',
    'TARGET=external',
    `BASE_URL=${quote(content.baseUrl)}`,
  ];
  for (const observation of content.observations) {
    const settings = Object.entries(observation.settings).filter(([name]) => lastSetter.get(name) === observation);
    lines.push('', `# ${observation.subject} (${observation.status}): ${oneLine(observation.saw)}`);
    lines.push(...settings.map(([name, value]) => `${name}=${quote(value)}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What is wrong with a rendered profile, checked the way the smoke run will read it: dotenv must give
 * back every value as chosen, the suite's settings must accept it (with the secrets given to discover),
 * and no secret may be in the text: neither a given one nor any token, ticket or key registered on the way.
 */
export function profileProblems(text: string, chosen: Record<string, string>, secrets: Record<string, string>): string[] {
  const parsed = dotenv.parse(text);
  const problems = Object.entries(chosen)
    .filter(([name, value]) => parsed[name] !== value)
    .map(([name, value]) => `${name} reads back as ${JSON.stringify(parsed[name])}, not ${JSON.stringify(value)}`);
  for (const [name, value] of Object.entries(secrets)) if (text.includes(value)) problems.push(`the value of ${name} is in the file`);
  if (knownSecrets().some((secret) => text.includes(secret))) problems.push('a token, ticket or key this run handled is in the file');
  try {
    loadSettings({ ...parsed, ...secrets });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.push(...error.problems);
  }
  return problems;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** A dotenv value that reads back as itself. */
function quote(value: string): string {
  if (/^[\w.:/,@+-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !value.includes('\\')) return `"${value}"`;
  if (!value.includes('`')) return `\`${value}\``;
  throw new Error(`a value with every kind of quote cannot be written to a dotenv file: ${value}`);
}
