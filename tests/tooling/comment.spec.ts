// `npm run comment` end to end: the real CLI as a child process against a local stand-in for GitHub's REST API.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { dirname } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { CLAIMS_MARKER, CommentPostError, VERDICT_MARKER, postVerdictComment } from '../../scripts/comment/post-verdict-comment.ts';

const VERDICT = '## Golden path: PASSED\n\n| stage | result |\n|---|---|\n| auth | ok |\n| agent-events | ok |\n';
const BODY = `${VERDICT_MARKER}\n${VERDICT}`;

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface StoredComment {
  id: number;
  body: string;
  html_url: string;
}

interface CannedReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers like GitHub's REST API for issue comments on any owner/name, and records every request. */
class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Comments by issue number. */
  readonly comments = new Map<number, StoredComment[]>();
  /** When set, every request gets this reply instead. */
  failWith: CannedReply | undefined;
  private nextId = 1000;
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const recorded = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: raw ? JSON.parse(raw) : undefined };
        this.requests.push(recorded);
        const reply = this.failWith ?? this.route(recorded);
        response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addComment(issue: number, body: string): StoredComment {
    const id = this.nextId++;
    const comment = { id, body, html_url: `https://github.com/o/n/issues/${issue}#issuecomment-${id}` };
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), comment]);
    return comment;
  }

  private route(request: RecordedRequest): CannedReply {
    const url = new URL(request.path, this.url);
    const onIssue = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/);
    const oneComment = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/);
    const text = (request.body as { body?: string } | undefined)?.body ?? '';
    if (onIssue && request.method === 'GET') {
      // Paged like GitHub: per_page (max 100), page, and a Link header to the next page.
      const all = this.comments.get(Number(onIssue[1])) ?? [];
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        headers.link = `<${this.url}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return { status: 200, body: all.slice((page - 1) * perPage, page * perPage), headers };
    }
    if (onIssue && request.method === 'POST') return { status: 201, body: this.addComment(Number(onIssue[1]), text) };
    if (oneComment && request.method === 'PATCH') {
      const comment = [...this.comments.values()].flat().find((candidate) => candidate.id === Number(oneComment[1]));
      if (!comment) return { status: 404, body: { message: 'Not Found' } };
      comment.body = text;
      return { status: 200, body: comment };
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  }
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Asynchronous on purpose: the fake API answers from this same process, so a sync spawn would deadlock. */
function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const inherited = { ...process.env };
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_API_URL', 'REPORTS_DIR']) delete inherited[name];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/comment.ts', ...args],
      { env: { ...inherited, ...env }, timeout: 25_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

function newToken(): string {
  return `ghp_${randomBytes(18).toString('hex')}`;
}

function writeVerdict(path: string, text = VERDICT): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function expectNoToken(result: CliResult, token: string): void {
  expect(result.stdout).not.toContain(token);
  expect(result.stderr).not.toContain(token);
}

const test = base.extend<{ github: FakeGitHub }>({
  github: async ({}, use) => {
    const github = new FakeGitHub();
    await github.start();
    await use(github);
    await github.stop();
  },
});

test.describe('npm run comment', () => {
  test('posts the verdict with the marker as a new comment and prints its URL; the default verdict is <REPORTS_DIR>/verdict.md', async ({
    github,
  }, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(`${reportsDir}/verdict.md`);
    const token = newToken();

    const result = await runCli(['--repo', 'o/n', '--issue', '7'], { GITHUB_TOKEN: token, GITHUB_API_URL: github.url, REPORTS_DIR: reportsDir });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(github.requests.map((request) => `${request.method} ${new URL(request.path, github.url).pathname}`)).toEqual([
      'GET /repos/o/n/issues/7/comments', // the upsert lookup: no earlier verdict here
      'POST /repos/o/n/issues/7/comments',
    ]);
    const post = github.requests[1]!;
    expect(post.headers.authorization).toBe(`token ${token}`);
    expect(post.body).toEqual({ body: BODY });
    const url = github.comments.get(7)![0]!.html_url;
    expect(result.stdout.trim()).toBe(`created the verdict comment on o/n#7: ${url}`);
    expectNoToken(result, token);
  });

  test('GH_TOKEN is used when GITHUB_TOKEN is not set', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    const token = newToken();
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GH_TOKEN: token, GITHUB_API_URL: github.url });
    expect(result.code).toBe(0);
    expect(github.requests.every((request) => request.headers.authorization === `token ${token}`)).toBe(true);
  });

  test('edits the earlier verdict comment instead of adding another, looking through every page', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    // 150 comments: the earlier verdict is on page 2; a human quoting it afterwards must not be taken for it.
    for (let index = 0; index < 120; index++) github.addComment(7, `comment ${index}`);
    const earlier = github.addComment(7, `${VERDICT_MARKER}\n## Golden path: FAILED\n`);
    github.addComment(7, `> ${VERDICT_MARKER}\n> ## Golden path: FAILED\n\nlooking into it`);
    for (let index = 0; index < 28; index++) github.addComment(7, `later ${index}`);
    const token = newToken();

    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: token, GITHUB_API_URL: github.url });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'PATCH']);
    const patch = github.requests[2]!;
    expect(new URL(patch.path, github.url).pathname).toBe(`/repos/o/n/issues/comments/${earlier.id}`);
    expect(patch.headers.authorization).toBe(`token ${token}`);
    expect(patch.body).toEqual({ body: BODY });
    expect(github.comments.get(7)).toHaveLength(150);
    expect(result.stdout.trim()).toBe(`updated the verdict comment on o/n#7: ${earlier.html_url}`);
  });

  test('--new adds a comment even when an earlier verdict exists', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    github.addComment(7, `${VERDICT_MARKER}\nold verdict`);
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict, '--new'], { GITHUB_TOKEN: newToken(), GITHUB_API_URL: github.url });
    expect(result.code).toBe(0);
    expect(github.requests.map((request) => request.method)).toEqual(['POST']);
    expect(github.comments.get(7)).toHaveLength(2);
    expect(result.stdout).toContain('created the verdict comment on o/n#7: https://github.com/o/n/issues/7#issuecomment-');
  });

  test('--claims posts <REPORTS_DIR>/claims.md and edits the earlier claim audit, never the verdict comment', async ({ github }, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    const claims =
      '### Claim audit: 1 of 3 claim(s) contradicted by the golden-path run\n\n| Line | Claim |\n|---|---|\n| 4 | ✅ WebSocket: all 5 critical events working |\n';
    writeVerdict(`${reportsDir}/verdict.md`);
    writeVerdict(`${reportsDir}/claims.md`, claims);
    const verdictComment = github.addComment(7, `${VERDICT_MARKER}\n## Golden path: FAILED\n`);
    const earlierAudit = github.addComment(7, `${CLAIMS_MARKER}\n### Claim audit: 0 of 3 claim(s) contradicted\n`);
    github.addComment(7, `${VERDICT_MARKER}\n## Golden path: a later verdict\n`);

    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--claims'], {
      GITHUB_TOKEN: newToken(),
      GITHUB_API_URL: github.url,
      REPORTS_DIR: reportsDir,
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(github.requests.map((request) => `${request.method} ${new URL(request.path, github.url).pathname}`)).toEqual([
      'GET /repos/o/n/issues/7/comments',
      `PATCH /repos/o/n/issues/comments/${earlierAudit.id}`,
    ]);
    expect(github.requests[1]!.body).toEqual({ body: `${CLAIMS_MARKER}\n${claims}` });
    expect(verdictComment.body).toBe(`${VERDICT_MARKER}\n## Golden path: FAILED\n`);
    expect(result.stdout.trim()).toBe(`updated the claim audit comment on o/n#7: ${earlierAudit.html_url}`);
  });

  test('the verdict is not posted over an earlier claim audit: without one of its own it adds a comment', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    const audit = github.addComment(7, `${CLAIMS_MARKER}\n### Claim audit\n`);
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: newToken(), GITHUB_API_URL: github.url });
    expect(result.code).toBe(0);
    expect(github.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
    expect(audit.body).toBe(`${CLAIMS_MARKER}\n### Claim audit\n`);
    expect(github.comments.get(7)).toHaveLength(2);
  });

  test('--claims without claims.md says how to write it', async ({ github }, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--claims', '--dry-run'], { GITHUB_API_URL: github.url, REPORTS_DIR: reportsDir });
    expect(result.code).toBe(2);
    expect(github.requests).toEqual([]);
    expect(result.stderr).toContain(
      `comment: 1 problem(s); nothing was posted:\n  - no claim audit file at ${reportsDir}/claims.md: run \`npm run claims -- --update <status.md>\` first, which writes it, or pass --verdict <path>\n`,
    );
  });

  test('--dry-run needs no token, sends nothing and prints the target, the API URL and the exact body', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict, '--dry-run'], { GITHUB_API_URL: github.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(github.requests).toEqual([]);
    expect(result.stdout).toContain('target:  o/n#7');
    expect(result.stdout).toContain(`API URL: ${github.url}`);
    expect(result.stdout).toContain(`----- body -----\n${BODY}\n----- end of body -----\n`);
  });

  const refusals = [
    {
      status: 401,
      message: 'Bad credentials',
      expected: /HTTP 401 \(Bad credentials.*\): the token is invalid or expired; set GITHUB_TOKEN or GH_TOKEN to a valid token$/,
    },
    {
      status: 403,
      message: 'Resource not accessible by integration',
      expected:
        /HTTP 403 \(Resource not accessible by integration.*\): the token may not comment on o\/n#7; it needs the `issues: write` permission \(`pull-requests: write` for a pull request\)/,
    },
    { status: 404, message: 'Not Found', expected: /HTTP 404 \(Not Found.*\): o\/n#7 was not found, or the token cannot see it/ },
  ];
  for (const { status, message, expected } of refusals) {
    test(`HTTP ${status} gives one line naming the status and the fix, exit 1, and never the token`, async ({ github }, testInfo) => {
      const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
      github.failWith = { status, body: { message, documentation_url: 'https://docs.github.com/rest' } };
      const token = newToken();

      const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: token, GITHUB_API_URL: github.url });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^comment: posting to o\/n#7 failed: /);
      expect(lines[0]).toMatch(expected);
      expect(github.requests.length).toBeGreaterThan(0);
      expect(github.requests[0]!.headers.authorization).toBe(`token ${token}`);
      expectNoToken(result, token);
    });
  }

  test('a 403 for an exhausted rate limit is not blamed on the permissions', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    github.failWith = {
      status: 403,
      body: { message: 'API rate limit exceeded' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1893456000' },
    };
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: newToken(), GITHUB_API_URL: github.url });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'comment: posting to o/n#7 failed: HTTP 403 (API rate limit exceeded): the GitHub API rate limit is exhausted (it resets at 2030-01-01T00:00:00.000Z); try again later',
    );
  });

  test('a server that echoes the token in its error still does not get it printed', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    const token = newToken();
    github.failWith = { status: 422, body: { message: `Validation Failed for token ${token}` } };
    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: token, GITHUB_API_URL: github.url });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'comment: posting to o/n#7 failed: HTTP 422 (Validation Failed for token [REDACTED]): GitHub refused the comment on o/n#7',
    );
    expectNoToken(result, token);
  });

  test('an unreachable API URL fails within seconds, naming the address', async ({}, testInfo) => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'));
    const token = newToken();

    const result = await runCli(['--repo', 'o/n', '--issue', '7', '--verdict', verdict], { GITHUB_TOKEN: token, GITHUB_API_URL: apiUrl });

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `comment: posting to o/n#7 failed: cannot reach the GitHub API at ${apiUrl} (ECONNREFUSED): check GITHUB_API_URL and the network`,
    );
    expect(result.ms).toBeLessThan(5000);
    expectNoToken(result, token);
  });

  test('an API that accepts the connection but never answers times out instead of hanging', async () => {
    const silent = createTcpServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const started = performance.now();
    try {
      // The module, not the CLI, so the timeout can be shortened from its 10 s.
      const posting = postVerdictComment({ repo: 'o/n', issue: 7, body: BODY, token: newToken(), apiUrl, timeoutMs: 500 });
      await expect(posting).rejects.toThrow(CommentPostError);
      await expect(posting).rejects.toThrow(`no answer from the GitHub API at ${apiUrl} within 0.5 s: check GITHUB_API_URL and the network`);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  test('usage errors are all listed at once, exit 2, and nothing is sent', async ({ github }, testInfo) => {
    const result = await runCli(['--repo', 'just-a-name', '--issue', '-3', '--verdict', testInfo.outputPath('missing.md'), '--frobnicate', 'stray'], {
      GITHUB_API_URL: github.url,
    });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(github.requests).toEqual([]);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('comment: 6 problem(s); nothing was posted:');
    expect(lines.slice(1, 7)).toEqual([
      '  - unknown option --frobnicate: the options are --repo, --issue, --verdict, --dry-run, --new, --claims, --allow-local-audit, --help',
      '  - unexpected argument "stray": the options are --repo, --issue, --verdict, --dry-run, --new, --claims, --allow-local-audit, --help',
      '  - --repo "just-a-name" is not owner/name: pass e.g. --repo acme/chat',
      '  - --issue "-3" is not a positive integer: pass the issue or pull-request number, e.g. --issue 42',
      `  - no verdict file at ${testInfo.outputPath('missing.md')}: run the tests first (e.g. \`npx playwright test\`), which write it, or pass --verdict <path>`,
      '  - no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token allowed to comment (issues: write / pull-requests: write); --dry-run needs none',
    ]);
    expect(lines[7]).toMatch(/^usage: npm run comment -- --repo owner\/name --issue N/);
  });

  test('missing --repo and --issue are reported too, and an empty verdict file is not posted', async ({ github }, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('verdict.md'), '\n  \n');
    const result = await runCli(['--verdict', verdict], { GITHUB_TOKEN: newToken(), GITHUB_API_URL: github.url });
    expect(result.code).toBe(2);
    expect(github.requests).toEqual([]);
    expect(result.stderr).toContain('comment: 3 problem(s); nothing was posted:\n');
    expect(result.stderr).toContain('  - --repo is missing: pass the repository as --repo owner/name, e.g. --repo acme/chat\n');
    expect(result.stderr).toContain('  - --issue is missing: pass the issue or pull-request number, e.g. --issue 42\n');
    expect(result.stderr).toContain(`  - the verdict file ${verdict} is empty: run the tests first`);
  });
});
