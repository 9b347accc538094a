// npm run comment -- --repo owner/name --issue N [--dry-run] [--new] [--claims [--allow-local-audit]] [--verdict <path>]
// Posts the test run's Markdown verdict (or, with --claims, the claim audit of npm run claims) on a GitHub
// issue or pull request. The audit of a run against the bundled reference service is refused unless
// --allow-local-audit is given, and then posted labelled as a local audit. Exit codes: 0 posted (or dry run), 1 GitHub refused or could not be reached, 2
// usage error (nothing was sent).
import { join } from 'node:path';
import { COMMENT_KINDS, CommentPostError, postVerdictComment, validateCommentRequest } from './comment/post-verdict-comment.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';
import { Redactor } from '../support/evidence/redaction/redact.ts';
import { evidenceLocations } from '../support/config/settings/evidence.ts';

const USAGE = 'usage: npm run comment -- --repo owner/name --issue N [--dry-run] [--new] [--claims [--allow-local-audit]] [--verdict <path>]';
const { values, problems } = parseOptions(USAGE, {
  repo: { type: 'string' },
  issue: { type: 'string' },
  verdict: { type: 'string' },
  'dry-run': { type: 'boolean' },
  new: { type: 'boolean' },
  claims: { type: 'boolean' },
  'allow-local-audit': { type: 'boolean' },
});

const dryRun = values['dry-run'];
const alwaysCreate = values.new;
const kind = values.claims ? 'claims' : 'verdict';
const { marker, file, noun } = COMMENT_KINDS[kind];
const verdictPath = values.verdict ?? join(evidenceLocations().reportsDir, file);
const { problems: requestProblems, valid } = validateCommentRequest({
  repo: values.repo,
  issue: values.issue,
  verdictPath,
  dryRun,
  env: process.env,
  kind,
  allowLocalAudit: values['allow-local-audit'],
});
problems.push(...requestProblems);

if (problems.length > 0 || !valid) exitWithProblems('comment', USAGE, problems, 'nothing was posted');

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
