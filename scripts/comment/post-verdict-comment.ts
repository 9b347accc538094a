// Posts the verdict Markdown as a comment on a GitHub issue or pull request, through @octokit/rest.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { Redactor } from '../../support/evidence/redaction/redact.ts';
import { LOCAL_AUDIT_MARKER } from '../claims/markdown.ts';

/**
 * First line of every verdict comment. HTML comments are not rendered, so readers do not see it; the
 * upsert finds the earlier verdict by it. It must be the first line (not merely anywhere in the body), so
 * a human comment that quotes a verdict (`> <!-- … -->`) is never mistaken for one and edited.
 */
export const VERDICT_MARKER = '<!-- golden-path-verdict -->';
/** The claim audit's own marker, so posting it edits the earlier audit and leaves the verdict comment alone. */
export const CLAIMS_MARKER = '<!-- golden-path-claims -->';

/** What a comment posts: its marker, its default file under REPORTS_DIR, and how that file is made. */
export const COMMENT_KINDS = {
  verdict: {
    marker: VERDICT_MARKER,
    file: 'verdict.md',
    noun: 'verdict',
    makeIt: 'run the tests first (e.g. `npx playwright test`), which write it, or pass --verdict <path>',
  },
  claims: {
    marker: CLAIMS_MARKER,
    file: 'claims.md',
    noun: 'claim audit',
    makeIt: 'run `npm run claims -- --update <status.md>` first, which writes it, or pass --verdict <path>',
  },
} as const;
export type CommentKind = keyof typeof COMMENT_KINDS;

export const DEFAULT_API_URL = 'https://api.github.com';

/** Each request gets this long, end to end: a deploy job must fail in seconds, not hang on a dead API. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** GitHub refuses longer comment bodies with 422; checking first says so before anything is sent. */
export const MAX_COMMENT_LENGTH = 65_536;

/** The variables a token is read from, first set wins (GitHub Actions documents GITHUB_TOKEN, the gh CLI GH_TOKEN). */
export const TOKEN_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export interface VerdictCommentTarget {
  /** `owner/name` */
  repo: string;
  /** issue or pull-request number */
  issue: number;
  /** the whole comment, marker included (see composeCommentBody) */
  body: string;
  /** Which earlier comment an upsert edits: the verdict's (the default) or the claim audit's. */
  kind?: CommentKind;
  token: string;
  apiUrl: string;
  /**
   * `upsert` (the default) edits the earlier verdict comment if there is one; `create` always adds one.
   * Upsert is the default because the command runs after every deploy: adding a comment each time would
   * bury the pull request's conversation under stale verdicts.
   */
  mode?: 'upsert' | 'create';
  timeoutMs?: number;
}

export interface PostedComment {
  url: string;
  action: 'created' | 'updated';
}

/** A failure already phrased as the one line to show: what happened and what to do. Never contains the token. */
export class CommentPostError extends Error {
  override name = 'CommentPostError';
}

export function composeCommentBody(markdown: string, kind: CommentKind = 'verdict'): string {
  return `${COMMENT_KINDS[kind].marker}\n${markdown}`;
}

function isCommentOfKind(body: string | undefined, kind: CommentKind): boolean {
  return body !== undefined && body.split('\n', 1)[0]?.trim() === COMMENT_KINDS[kind].marker;
}

export async function postVerdictComment(target: VerdictCommentTarget): Promise<PostedComment> {
  const [owner = '', repo = ''] = target.repo.split('/');
  const issue_number = target.issue;
  const timeoutMs = target.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const octokit = new Octokit({
    auth: target.token,
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    userAgent: 'golden-path-harness verdict comment',
    // @octokit/rest bundles no retry or throttling plugin, so each request is sent once: a failed deploy
    // check should say why at once, and a retried POST could post the verdict twice. The timeout is set on
    // every fetch (not one signal for the client) so a lookup that took 9 s does not leave the POST 1 s.
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) },
    // The request-log plugin writes every failed request to stderr; the caller prints one line instead.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });

  try {
    if (target.mode !== 'create') {
      let earlier: { id: number } | undefined;
      // Pages are ascending by creation; the last match is the verdict readers saw most recently.
      for await (const page of octokit.paginate.iterator(octokit.issues.listComments, { owner, repo, issue_number, per_page: 100 })) {
        for (const comment of page.data) if (isCommentOfKind(comment.body, target.kind ?? 'verdict')) earlier = comment;
      }
      if (earlier) {
        const { data } = await octokit.issues.updateComment({ owner, repo, comment_id: earlier.id, body: target.body });
        return { url: data.html_url, action: 'updated' };
      }
    }
    const { data } = await octokit.issues.createComment({ owner, repo, issue_number, body: target.body });
    return { url: data.html_url, action: 'created' };
  } catch (error) {
    // Belt and braces: nothing printed may contain the token, even if a server or fetch echoed it.
    throw new CommentPostError(new Redactor([target.token]).redact(describeFailure(error, target, timeoutMs)));
  }
}

interface OctokitFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  cause?: unknown;
}

/** One line per failure: the status GitHub gave (or why none came), then the likely cause and the fix. */
function describeFailure(error: unknown, target: VerdictCommentTarget, timeoutMs: number): string {
  const failure = (error ?? {}) as OctokitFailure;
  const where = `${target.repo}#${target.issue}`;
  // Octokit reports a fetch that never got a response as status 500 without a response; the cause says why.
  if (!failure.response) {
    const cause = failure.cause as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
    if (cause?.name === 'TimeoutError') {
      return `no answer from the GitHub API at ${target.apiUrl} within ${timeoutMs / 1000} s: check GITHUB_API_URL and the network`;
    }
    const reason = cause?.cause?.code ?? cause?.code ?? cause?.cause?.message ?? failure.message ?? String(error);
    return `cannot reach the GitHub API at ${target.apiUrl} (${reason}): check GITHUB_API_URL and the network`;
  }
  const status = failure.status ?? 0;
  const said = `HTTP ${status}${githubMessage(failure.response.data)}`;
  const headers = failure.response.headers ?? {};
  if (status === 429 || (status === 403 && headers['x-ratelimit-remaining'] === '0')) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` (it resets at ${new Date(reset * 1000).toISOString()})` : '';
    return `${said}: the GitHub API rate limit is exhausted${when}; try again later`;
  }
  switch (status) {
    case 401:
      return `${said}: the token is invalid or expired; set ${TOKEN_VARIABLES.join(' or ')} to a valid token`;
    case 403:
      return `${said}: the token may not comment on ${where}; it needs the \`issues: write\` permission (\`pull-requests: write\` for a pull request), e.g. \`permissions: { issues: write, pull-requests: write }\` in the GitHub Actions job`;
    case 404:
      return `${said}: ${where} was not found, or the token cannot see it (private repositories answer 404 to tokens without access); check --repo, --issue and the token's repository access`;
    default:
      return `${said}: GitHub refused the comment on ${where}`;
  }
}

/** GitHub's own explanation (`{"message": …}`), flattened to one line and bounded. */
function githubMessage(data: unknown): string {
  const message = typeof data === 'object' && data !== null && 'message' in data ? String(data.message) : '';
  const oneLine = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  return oneLine ? ` (${oneLine})` : '';
}

export interface CommentRequest {
  repo?: string;
  issue?: string;
  verdictPath: string;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  kind?: CommentKind;
  /** Post a claim audit of a run against the bundled reference service, labelled as such. */
  allowLocalAudit?: boolean;
}

/** Heads a local run's audit when it is posted anyway, so no reader takes it for evidence about their service. */
export const LOCAL_AUDIT_LABEL =
  '> 🧪 **Audit of a local run, posted with --allow-local-audit.** It read a run against the reference service bundled with the harness: it is no evidence about the service the update describes.';

export interface ValidatedCommentRequest {
  repo: string;
  issue: number;
  body: string;
  verdictPath: string;
  apiUrl: string;
  /** undefined only for a dry run, which sends nothing */
  token?: string;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const REPO_NAME = /^[A-Za-z0-9._-]+$/;

/** Checks everything before any request and returns every problem at once, each with its fix. */
export function validateCommentRequest(request: CommentRequest): { problems: string[]; valid?: ValidatedCommentRequest } {
  const problems: string[] = [];

  const repo = request.repo;
  if (!repo) problems.push(`--repo is ${repo === undefined ? 'missing' : 'empty'}: pass the repository as --repo owner/name, e.g. --repo acme/chat`);
  else {
    const [owner, name, ...rest] = repo.split('/');
    const validName = name !== undefined && REPO_NAME.test(name) && name !== '.' && name !== '..';
    if (rest.length > 0 || owner === undefined || !OWNER.test(owner) || !validName) {
      problems.push(`--repo ${JSON.stringify(repo)} is not owner/name: pass e.g. --repo acme/chat`);
    }
  }

  const issueText = request.issue;
  const issue = Number(issueText);
  if (!issueText) problems.push(`--issue is ${issueText === undefined ? 'missing' : 'empty'}: pass the issue or pull-request number, e.g. --issue 42`);
  else if (!/^[1-9][0-9]*$/.test(issueText) || !Number.isSafeInteger(issue)) {
    problems.push(`--issue ${JSON.stringify(issueText)} is not a positive integer: pass the issue or pull-request number, e.g. --issue 42`);
  }

  let body: string | undefined;
  const kind = request.kind ?? 'verdict';
  if (request.allowLocalAudit && kind !== 'claims') problems.push('--allow-local-audit applies to a claim audit only: pass it with --claims, or drop it');
  const { noun, makeIt } = COMMENT_KINDS[kind];
  if (!existsSync(request.verdictPath) || !statSync(request.verdictPath).isFile()) {
    problems.push(`no ${noun} file at ${request.verdictPath}: ${makeIt}`);
  } else {
    const markdown = readFileSync(request.verdictPath, 'utf8');
    // The marker is the audit's last line: an update quoting it in a table cell is not a local audit.
    const localAudit = kind === 'claims' && markdown.trimEnd().endsWith(LOCAL_AUDIT_MARKER);
    if (markdown.trim() === '') problems.push(`the ${noun} file ${request.verdictPath} is empty: ${makeIt}`);
    else if (localAudit && !request.allowLocalAudit) {
      problems.push(
        `${request.verdictPath} audits a run against the bundled reference service, which says nothing about the service the update describes: ` +
          'audit a run against that service (TARGET_PROFILE=<env> npm run claims -- --update <status.md> --run), or pass --allow-local-audit to post it labelled as a local audit',
      );
    } else {
      body = composeCommentBody(localAudit ? `${LOCAL_AUDIT_LABEL}\n\n${markdown}` : markdown, kind);
      if (body.length > MAX_COMMENT_LENGTH) {
        problems.push(`the comment would be ${body.length} characters and GitHub accepts at most ${MAX_COMMENT_LENGTH}: shorten ${request.verdictPath}`);
      }
    }
  }

  const apiUrl = (request.env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(apiUrl) || !URL.canParse(apiUrl)) {
    problems.push(
      `GITHUB_API_URL ${JSON.stringify(apiUrl)} is not an http(s) URL: unset it for ${DEFAULT_API_URL}, or set it to the API root (e.g. https://github.example.com/api/v3)`,
    );
  }

  const tokenVariable = TOKEN_VARIABLES.find((name) => request.env[name]?.trim());
  const token = tokenVariable ? request.env[tokenVariable]!.trim() : undefined;
  if (!request.dryRun) {
    if (!token) {
      problems.push(
        `no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token allowed to comment (issues: write / pull-requests: write); --dry-run needs none`,
      );
    } else if (/[\s\p{Cc}]/u.test(token)) {
      // Such a value would fail as an HTTP header, and fetch's error message would quote it.
      problems.push(`${tokenVariable} contains whitespace or control characters: set it to the token alone`);
    }
  }

  if (problems.length > 0 || !repo || body === undefined) return { problems };
  return { problems, valid: { repo, issue, body, verdictPath: request.verdictPath, apiUrl, token } };
}
