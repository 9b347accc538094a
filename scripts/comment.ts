// npm run comment -- --repo owner/name --issue N [--dry-run] [--new] [--claims] [--verdict <path>]
// Posts the test run's Markdown verdict (or, with --claims, the claim audit of npm run claims) on a GitHub
// issue or pull request. Exit codes: 0 posted (or dry run), 1 GitHub refused or could not be reached, 2
// usage error (nothing was sent).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMMENT_KINDS, CommentPostError, postVerdictComment, validateCommentRequest } from './comment/post-verdict-comment.ts';
import { Redactor } from '../support/evidence/redaction/redact.ts';

const USAGE = 'usage: npm run comment -- --repo owner/name --issue N [--dry-run] [--new] [--claims] [--verdict <path>]';
const OPTIONS = {
  repo: { type: 'string' },
  issue: { type: 'string' },
  verdict: { type: 'string' },
  'dry-run': { type: 'boolean' },
  new: { type: 'boolean' },
  claims: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Not strict: a strict parseArgs throws at the first unknown flag, and every problem should be listed at once.
const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: OPTIONS, strict: false, allowPositionals: true });

if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}

const problems: string[] = [];
for (const name of Object.keys(values)) {
  if (!(name in OPTIONS)) problems.push(`unknown option ${name.length === 1 ? '-' : '--'}${name}`);
}
for (const extra of positionals) problems.push(`unexpected argument ${JSON.stringify(extra)}`);
/** Not strict, a string option given without its value parses as `true`; validation reports it as empty. */
function stringOption(name: 'repo' | 'issue' | 'verdict'): string | undefined {
  const value = values[name];
  return value === true ? '' : typeof value === 'string' ? value : undefined;
}
function booleanOption(name: 'dry-run' | 'new' | 'claims'): boolean {
  const value = values[name];
  if (typeof value === 'string') problems.push(`--${name} takes no value`);
  return value !== undefined;
}

const dryRun = booleanOption('dry-run');
const alwaysCreate = booleanOption('new');
const kind = booleanOption('claims') ? 'claims' : 'verdict';
const { marker, file, noun } = COMMENT_KINDS[kind];
const verdictOption = stringOption('verdict');
if (verdictOption === '') problems.push(`--verdict is empty: pass the path of the Markdown ${noun}, or leave --verdict out for the default`);
const verdictPath = verdictOption || join(process.env.REPORTS_DIR || 'reports', file);
const repoOption = stringOption('repo');
const issueOption = stringOption('issue');
const { problems: requestProblems, valid } = validateCommentRequest({
  repo: repoOption,
  issue: issueOption,
  verdictPath,
  dryRun,
  env: process.env,
  kind,
});
problems.push(...requestProblems);

if (problems.length > 0 || !valid) {
  console.error(`comment: ${problems.length} problem(s); nothing was posted:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${USAGE}`);
  process.exit(2);
}

const target = `${valid.repo}#${valid.issue}`;
if (dryRun) {
  const action = alwaysCreate ? 'a new comment' : `a new comment, or an edit of the earlier one whose first line is ${marker}`;
  console.log(`dry run, nothing sent: would post ${action}`);
  console.log(`  target:  ${target}`);
  console.log(`  API URL: ${valid.apiUrl}`);
  console.log(`  ${kind === 'claims' ? 'claims: ' : 'verdict:'} ${valid.verdictPath}`);
  console.log('----- body -----');
  console.log(valid.body);
  console.log('----- end of body -----');
  process.exit(0);
}

try {
  const posted = await postVerdictComment({
    repo: valid.repo,
    issue: valid.issue,
    body: valid.body,
    token: valid.token!,
    apiUrl: valid.apiUrl,
    mode: alwaysCreate ? 'create' : 'upsert',
    kind,
  });
  console.log(`${posted.action} the ${noun} comment on ${target}: ${posted.url}`);
} catch (error) {
  // Only our own one-line message, never the error object: Octokit errors carry the request, headers included.
  const message = error instanceof CommentPostError ? error.message : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  console.error(`comment: posting to ${target} failed: ${new Redactor(valid.token ? [valid.token] : []).redact(message)}`);
  process.exit(1);
}
