// What the run measured, named for a reader of the audit: a claim can only be checked by a run against
// the service the update describes, so the target heads the audit and a mismatch is said at the top.
import type { AuditedTarget, AuditedVerdict } from './audit.ts';

/** How the audit names the target, e.g. "`https://staging.example.com` (external, profile staging, version 2.3.0)". */
export function describeTarget(target: AuditedTarget): string {
  if (target.kind === 'local') return 'the bundled reference service (local)';
  const details = ['external', target.profile ? `profile ${target.profile}` : undefined, target.service].filter(Boolean).join(', ');
  return `${target.url ? `\`${target.url}\`` : 'an external service (no BASE_URL recorded)'} (${details})`;
}

/** "2026-11-22T10:00:00.000Z → 2026-11-22T10:00:41.000Z": when the run read was made. */
export function describeRunTime(verdict: Pick<AuditedVerdict, 'startedAt' | 'finishedAt'>): string {
  return `${verdict.startedAt} → ${verdict.finishedAt}`;
}

/** What to run instead of a local run, so the audit reads the service the update is about. */
export function againstTheDescribedService(update: string): string {
  const file = update === 'standard input' ? '<status.md>' : update;
  return `\`TARGET_PROFILE=<env> npm run smoke\`, then \`npm run claims -- --update ${file}\` (or both at once: \`TARGET_PROFILE=<env> npm run claims -- --update ${file} --run\`)`;
}

const URL_HOST = /\bhttps?:\/\/([a-z0-9.-]+)/gi;
// A bare host name such as staging.example.com: labels then a top-level domain of those status updates
// name, so a module path (app.services.monitoring) or a file (validate_build.py) is not taken for one.
const HOST_NAME =
  /(?<![\w.@/-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|app|dev|ai|cloud|co|info|biz|us|uk|de|eu|internal|local|localhost))(?![\w-]|\.[a-z0-9])/gi;

/** The hosts an update names, in the order first named, lower-cased. */
export function hostsNamed(markdown: string): string[] {
  const hosts = [...markdown.matchAll(URL_HOST), ...markdown.matchAll(HOST_NAME)]
    .sort((a, b) => a.index - b.index)
    .map((match) => match[1]!.toLowerCase().replace(/\.$/, ''));
  return [...new Set(hosts)];
}

/** The hosts the update names that are not the host the run measured (every one, for a local run). */
export function hostsNotTested(markdown: string, target: AuditedTarget): string[] {
  const tested = target.kind === 'external' && target.url && URL.canParse(target.url) ? new URL(target.url).hostname.toLowerCase() : undefined;
  return hostsNamed(markdown).filter((host) => host !== tested);
}
