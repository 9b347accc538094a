// npm run claims -- --update <status.md | -> [--verdict <path> | --run]
// Audits a status update claim by claim against a test run's verdict: writes <REPORTS_DIR>/claims.json
// and claims.md (post it with npm run comment -- … --claims). With --run, first runs the tests of every
// stage the update's claims name against the configured target, then audits that run. Exit codes: 0
// written, 1 could not write (or the run wrote no verdict), 2 usage error (nothing was written).
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditClaims, stagesToMeasure } from './claims/audit.ts';
import { readStatusUpdate, readVerdict } from './claims/inputs.ts';
import { claimsMarkdown } from './claims/markdown.ts';
import { parseUpdate } from './claims/parse-update.ts';
import { measuringArgs } from './claims/suites.ts';
import { hostsNotTested } from './claims/target.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';
import { Redactor } from '../support/evidence/redaction/redact.ts';
import { registerConfiguredSecrets } from '../support/evidence/redaction/secrets.ts';
import { evidenceLocations } from '../support/config/settings/evidence.ts';

const USAGE = 'usage: npm run claims -- --update <status.md | -> [--verdict <path> | --run]';
const { values, problems } = parseOptions(USAGE, { update: { type: 'string' }, verdict: { type: 'string' }, run: { type: 'boolean' } });
// An option given without a usable value is already a problem of the parser's; it is not also "missing".
const given = (name: string) => process.argv.slice(2).some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));

const { reportsDir, reportUrl: configuredReportUrl } = evidenceLocations();
const verdictPath = values.verdict ?? join(reportsDir, 'verdict.json');
const update = values.update === undefined && given('update') ? {} : readStatusUpdate(values.update);
if (update.problem) problems.push(update.problem);
if (values.run && given('verdict')) problems.push('--verdict and --run exclude each other: --run audits the verdict of the run it starts; drop one of them');
const found = update.value ? parseUpdate(update.value.markdown) : [];
const toMeasure = stagesToMeasure(found);
if (values.run && update.value && toMeasure.length === 0)
  problems.push(`no claim in ${update.value.name} names a stage the suites measure, so --run has nothing to run: audit it without --run`);
// Without --run the verdict must be there already; with it, the run writes it.
const earlier = values.run ? undefined : values.verdict === undefined && given('verdict') ? {} : readVerdict(verdictPath);
if (earlier?.problem) problems.push(earlier.problem);
if (problems.length > 0 || !update.value || (!values.run && !earlier?.value)) exitWithProblems('claims', USAGE, problems, 'nothing was written');

const verdict = values.run ? runTheMeasuringTests() : earlier!.value!;
const claims = auditClaims(found, verdict);
const notTested = hostsNotTested(update.value.markdown, verdict.target);
const reportUrl = configuredReportUrl ?? verdict.reportUrl;
// The update is quoted into both files, and people paste tokens into status updates: the verdict's redactor.
registerConfiguredSecrets();
const redactor = new Redactor();
const markdown = redactor.redact(claimsMarkdown({ update: update.value.name, verdict, hostsNotTested: notTested, reportUrl, claims }));
const json = redactor.redactValue({
  // The target and the run's time first: only a run against the service the update describes is evidence about it.
  target: verdict.target,
  run: { startedAt: verdict.startedAt, finishedAt: verdict.finishedAt },
  hostsNotTested: notTested,
  update: update.value.name,
  verdict: { verdict: verdict.verdict, outcome: verdict.outcome, failingStage: verdict.failingStage, reason: verdict.reason, tests: verdict.tests },
  reportUrl,
  claims,
});

const paths = { markdown: join(reportsDir, 'claims.md'), json: join(reportsDir, 'claims.json') };
try {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(paths.markdown, markdown);
} catch (error) {
  console.error(
    `claims: cannot write to ${reportsDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set REPORTS_DIR to a folder you can write`,
  );
  process.exit(1);
}

const count = (agreement: (typeof claims)[number]['agreement']) => claims.filter((claim) => claim.agreement === agreement).length;
const selfContradicting = claims.filter((claim) => claim.selfContradiction).length;
console.log(
  `claims: ${claims.length} claim(s) in ${update.value.name}: ${count('contradicted')} contradicted, ${count('agrees')} agree, ` +
    `${count('not measured')} not measured, ${count('not measurable here')} not measurable here` +
    `${selfContradicting > 0 ? `; ${selfContradicting} contradict themselves` : ''}`,
);
if (verdict.target.kind === 'local')
  console.log('  the run tested the bundled reference service, not the service the update describes: nothing agrees or is contradicted');
if (notTested.length > 0) console.log(`  the update names ${notTested.join(', ')}, which the run did not test`);
console.log(`  ${paths.markdown}\n  ${paths.json}`);

/** Runs the e2e tests of the stages the claims name, as `npx playwright test` would, and reads the verdict it writes. */
function runTheMeasuringTests() {
  const args = measuringArgs(toMeasure);
  console.log(`claims: measuring ${toMeasure.join(', ')} against the configured target: npx playwright ${args.map(quoted).join(' ')}`);
  const before = modified(verdictPath);
  const playwright = join(import.meta.dirname, '..', 'node_modules', '@playwright', 'test', 'cli.js');
  // The run's own exit code says whether its tests passed; the audit reads that from its verdict.
  const run = spawnSync(process.execPath, [playwright, ...args], { stdio: 'inherit', env: process.env });
  const fresh = readVerdict(verdictPath);
  if (!fresh.value || modified(verdictPath) === before) {
    console.error(
      `claims: the test run (exit ${run.status ?? run.signal ?? run.error?.message}) wrote no new verdict at ${verdictPath}` +
        `${fresh.problem ? ` (${fresh.problem})` : ''}: see its output above; nothing was written`,
    );
    process.exit(1);
  }
  return fresh.value;
}

function modified(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function quoted(arg: string): string {
  return /^[\w@/=.,-]+$/.test(arg) ? arg : `"${arg}"`;
}
