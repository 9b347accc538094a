// npm run claims -- --update <status.md | -> [--verdict <path>]
// Audits a status update claim by claim against the test run's verdict: writes <REPORTS_DIR>/claims.json
// and claims.md (post it with npm run comment -- … --claims). Exit codes: 0 written, 1 could not write,
// 2 usage error (nothing was written).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditClaims } from './claims/audit.ts';
import { readStatusUpdate, readVerdict } from './claims/inputs.ts';
import { claimsMarkdown } from './claims/markdown.ts';
import { parseUpdate } from './claims/parse-update.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';
import { Redactor } from '../support/evidence/redaction/redact.ts';
import { registerConfiguredSecrets } from '../support/evidence/redaction/secrets.ts';

const USAGE = 'usage: npm run claims -- --update <status.md | -> [--verdict <path>]';
const { values, problems } = parseOptions(USAGE, { update: { type: 'string' }, verdict: { type: 'string' } });
// An option given without a usable value is already a problem of the parser's; it is not also "missing".
const given = (name: string) => process.argv.slice(2).some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));

const reportsDir = process.env.REPORTS_DIR || 'reports';
const update = values.update === undefined && given('update') ? {} : readStatusUpdate(values.update);
const verdict = values.verdict === undefined && given('verdict') ? {} : readVerdict(values.verdict ?? join(reportsDir, 'verdict.json'));
for (const read of [update, verdict]) if (read.problem) problems.push(read.problem);
if (problems.length > 0 || !update.value || !verdict.value) exitWithProblems('claims', USAGE, problems, 'nothing was written');

const claims = auditClaims(parseUpdate(update.value.markdown), verdict.value);
const reportUrl = process.env.REPORT_URL || verdict.value.reportUrl;
// The update is quoted into both files, and people paste tokens into status updates: the verdict's redactor.
registerConfiguredSecrets();
const redactor = new Redactor();
const markdown = redactor.redact(claimsMarkdown({ update: update.value.name, verdict: verdict.value, reportUrl, claims }));
const json = redactor.redactValue({
  update: update.value.name,
  verdict: {
    verdict: verdict.value.verdict,
    outcome: verdict.value.outcome,
    failingStage: verdict.value.failingStage,
    reason: verdict.value.reason,
    tests: verdict.value.tests,
  },
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
console.log(
  `claims: ${claims.length} claim(s) in ${update.value.name}: ${count('contradicted')} contradicted, ${count('agrees')} agree, ` +
    `${count('not measured')} not measured, ${count('not measurable here')} not measurable here`,
);
console.log(`  ${paths.markdown}\n  ${paths.json}`);
