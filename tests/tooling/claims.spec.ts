// `npm run claims` end to end: the real CLI as a child process, fed by a shell pipeline or a file.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { createServer } from 'node:net';
import { DROPPED_TOOL_COMPLETED, STATUS_UPDATES, asLocalRun, droppedEventVerdict, passingVerdict } from '../unit/claims-verdicts.ts';
import { LOCAL_AUDIT_LABEL } from '../../scripts/comment/post-verdict-comment.ts';
import { commandEnvironment } from '../../support/self-test/nested-run.ts';
import type { Verdict } from '../../support/verdict/verdict.ts';

const CHAT_RESTORED = join(STATUS_UPDATES, 'chat-restored.md');
const REPORT = 'https://ci.example.com/golden-path/1234/';
const USAGE = 'usage: npm run claims -- --update <status.md | -> [--verdict <path> | --run]';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>, options: { inherit: boolean } = { inherit: true }): Promise<CliResult> {
  const inherited = { ...process.env };
  for (const name of ['REPORTS_DIR', 'REPORT_URL', 'GITHUB_TOKEN', 'GH_TOKEN']) delete inherited[name];
  return new Promise((resolve) => {
    execFile(file, args, { env: options.inherit ? { ...inherited, ...env } : env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** The command as `npm run claims` runs it (npm itself adds a second or so, and nothing under test). */
function runClaims(args: string[], env: Record<string, string>): Promise<CliResult> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/claims.ts', ...args], env);
}

/** `npm run comment` as the claim audit's reader posts it. */
function runComment(args: string[], env: Record<string, string>): Promise<CliResult> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/comment.ts', ...args], env);
}

/** A real shell pipeline: `cat <file> | claims --update -`. */
function pipeIntoClaims(file: string, env: Record<string, string>): Promise<CliResult> {
  return run('sh', ['-c', 'cat "$1" | "$2" --import tsx scripts/claims.ts --update -', 'sh', file, process.execPath], env);
}

function writeVerdict(reportsDir: string, verdict: Verdict): string {
  mkdirSync(reportsDir, { recursive: true });
  const path = join(reportsDir, 'verdict.json');
  writeFileSync(path, `${JSON.stringify(verdict, null, 2)}\n`);
  return path;
}

test.describe('npm run claims', () => {
  test("--update - reads the update from a pipeline and writes claims.md and claims.json; the first contradicted row is the failed stage's claim", async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(reportsDir, droppedEventVerdict(REPORT));

    const result = await pipeIntoClaims(CHAT_RESTORED, { REPORTS_DIR: reportsDir });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'claims: 23 claim(s) in standard input: 8 contradicted, 1 agree, 4 not measured, 10 not measurable here\n' +
        `  ${join(reportsDir, 'claims.md')}\n  ${join(reportsDir, 'claims.json')}\n`,
    );
    const markdown = readFileSync(join(reportsDir, 'claims.md'), 'utf8');
    expect(markdown).toContain(`Golden path: ❌ FAIL at **agent-events** (Agent events) · 2 passed, 3 failed, 0 flaky, 0 skipped · [Full report](${REPORT})`);
    expect(markdown.split('\n').find((line) => line.includes('❌ contradicted'))).toBe(
      '| 39 | WebSocket \\| ✅ Healthy \\| Reconnect handler restored | websocket, agent-events | working | FAIL at agent-events | ❌ contradicted |',
    );
    expect(markdown).toContain('Claims found in standard input');

    const json = JSON.parse(readFileSync(join(reportsDir, 'claims.json'), 'utf8'));
    expect(Object.keys(json).slice(0, 2)).toEqual(['target', 'run']);
    expect(json).toMatchObject({
      target: { kind: 'external', url: 'https://staging.example.com', profile: 'staging' },
      run: { startedAt: '2026-11-22T10:00:00.000Z', finishedAt: '2026-11-22T10:00:41.000Z' },
      update: 'standard input',
      verdict: { verdict: 'FAIL', failingStage: 'agent-events' },
      reportUrl: REPORT,
    });
    const events = json.claims.find((claim: { text: string }) => claim.text === '✅ WebSocket: all 5 critical events working');
    expect(events).toMatchObject({
      line: 45,
      stages: ['websocket', 'agent-events'],
      stated: 'working',
      measured: { result: 'FAIL', stage: 'agent-events', detail: DROPPED_TOOL_COMPLETED.message.split('\n')[0] },
      agreement: 'contradicted',
    });
    expect(json.claims[0]).toMatchObject({ line: 39, agreement: 'contradicted', measured: { stage: 'agent-events' } });
  });

  test("--update <file> --verdict <path> reads both from where they are named; REPORT_URL wins over the verdict's link", async ({}, testInfo) => {
    const verdict = writeVerdict(testInfo.outputPath('elsewhere'), passingVerdict('https://old.example.com/report/'));
    const reportsDir = testInfo.outputPath('reports');

    const result = await runClaims(['--update', CHAT_RESTORED, '--verdict', verdict], { REPORTS_DIR: reportsDir, REPORT_URL: REPORT });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^claims: 23 claim\(s\) in chat-restored\.md: 0 contradicted, 13 agree, 0 not measured, 10 not measurable here\n/);
    const markdown = readFileSync(join(reportsDir, 'claims.md'), 'utf8');
    expect(markdown).toContain(`[Full report](${REPORT})`);
    expect(markdown).not.toContain('old.example.com');
  });

  test('a secret pasted into the update is redacted in both files', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(reportsDir, passingVerdict());
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
    const githubToken = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    const update = testInfo.outputPath('update.md');
    writeFileSync(update, `- ✅ Auth works: login returned ${jwt}\n- ✅ Database operational (checked with ${githubToken})\n`);

    const result = await runClaims(['--update', update], { REPORTS_DIR: reportsDir });

    expect(result.code).toBe(0);
    for (const file of ['claims.md', 'claims.json']) {
      const text = readFileSync(join(reportsDir, file), 'utf8');
      expect(text, file).toContain('[REDACTED]');
      expect(text, file).not.toContain(jwt);
      expect(text, file).not.toContain(githubToken);
    }
  });

  test('bad usage: every problem at once, one line each naming the fix, exit 2, nothing written', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');

    const result = await runClaims(['--frobnicate', 'stray'], { REPORTS_DIR: reportsDir });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'claims: 4 problem(s); nothing was written:',
      '  - unknown option --frobnicate: the options are --update, --verdict, --run, --help',
      '  - unexpected argument "stray": the options are --update, --verdict, --run, --help',
      '  - --update is missing: pass the status update as --update status.md, or --update - to read it from standard input',
      `  - no verdict at ${join(reportsDir, 'verdict.json')}: run the tests first (e.g. \`npx playwright test\`), which write it, or pass --verdict <path>`,
      USAGE,
    ]);
    expect(existsSync(reportsDir)).toBe(false);

    // An option without its value is one problem, not also a missing file.
    const noValue = await runClaims(['--update', CHAT_RESTORED, '--verdict'], { REPORTS_DIR: reportsDir });
    expect(noValue.code).toBe(2);
    expect(noValue.stderr.trimEnd().split('\n').slice(0, 2)).toEqual(['claims: 1 problem(s); nothing was written:', '  - --verdict needs a value']);
  });

  test('an unreadable update, a folder given as the update and a verdict that is not JSON are each named with their fix', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    const verdictMd = testInfo.outputPath('verdict.md');
    writeFileSync(verdictMd, '### Golden path: ✅ PASS\n');
    const missing = testInfo.outputPath('no-such-update.md');

    const missingFile = await runClaims(['--update', missing, '--verdict', verdictMd], { REPORTS_DIR: reportsDir });
    expect(missingFile.code).toBe(2);
    const lines = missingFile.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('claims: 2 problem(s); nothing was written:');
    expect(lines[1]).toBe(`  - cannot read the status update ${missing} (no such file): check the path, or pass --update - to read standard input`);
    expect(lines[2]).toMatch(
      new RegExp(`^  - the verdict ${escapeRegExp(verdictMd)} is not JSON \\(.+\\): pass the verdict.json a test run wrote \\(not verdict.md\\)$`),
    );

    const directory = await runClaims(['--update', testInfo.outputDir, '--verdict', verdictMd], { REPORTS_DIR: reportsDir });
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain(
      `  - cannot read the status update ${testInfo.outputDir} (it is a folder): check the path, or pass --update - to read standard input\n`,
    );
    expect(existsSync(reportsDir)).toBe(false);
  });

  test('an empty pipeline is a usage error, not an empty audit', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(reportsDir, passingVerdict());
    const empty = testInfo.outputPath('empty.md');
    writeFileSync(empty, '\n \n');

    const result = await pipeIntoClaims(empty, { REPORTS_DIR: reportsDir });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  - the status update on standard input is empty: pass the Markdown of the update\n');
    expect(existsSync(join(reportsDir, 'claims.md'))).toBe(false);
  });
});

test.describe('npm run claims: only a run against the described service is evidence', () => {
  test('a local run agrees with nothing and contradicts nothing, says so at the top with the command; the same run against staging does both', async ({}, testInfo) => {
    const local = testInfo.outputPath('local');
    writeVerdict(local, asLocalRun(droppedEventVerdict()));
    const result = await runClaims(['--update', CHAT_RESTORED], { REPORTS_DIR: local });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'claims: 23 claim(s) in chat-restored.md: 0 contradicted, 0 agree, 13 not measured, 10 not measurable here',
      '  the run tested the bundled reference service, not the service the update describes: nothing agrees or is contradicted',
    ]);
    const markdown = readFileSync(join(local, 'claims.md'), 'utf8');
    expect(markdown.split('\n')[2]).toBe('**Target:** the bundled reference service (local) · run 2026-11-22T10:00:00.000Z → 2026-11-22T10:00:41.000Z');
    expect(markdown).toContain('`TARGET_PROFILE=<env> npm run smoke`, then `npm run claims -- --update chat-restored.md`');
    const json = JSON.parse(readFileSync(join(local, 'claims.json'), 'utf8'));
    expect(json.target).toEqual({ kind: 'local', service: 'bundled reference service' });
    expect(json.run).toEqual({ startedAt: '2026-11-22T10:00:00.000Z', finishedAt: '2026-11-22T10:00:41.000Z' });
    expect(json.claims.filter((claim: { agreement: string }) => claim.agreement === 'agrees' || claim.agreement === 'contradicted')).toEqual([]);

    const staging = testInfo.outputPath('staging');
    writeVerdict(staging, droppedEventVerdict());
    const external = await runClaims(['--update', CHAT_RESTORED], { REPORTS_DIR: staging });
    expect(external.stdout).toMatch(/^claims: 23 claim\(s\) in chat-restored\.md: 8 contradicted, 1 agree, 4 not measured, 10 not measurable here\n  \//);
    expect(readFileSync(join(staging, 'claims.md'), 'utf8').split('\n')[2]).toBe(
      '**Target:** `https://staging.example.com` (external, profile staging, version 2.3.0) · run 2026-11-22T10:00:00.000Z → 2026-11-22T10:00:41.000Z',
    );
  });

  test("a host the update names that the run did not test is said at the top; the target's own host is not", async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(reportsDir, passingVerdict());
    const elsewhere = testInfo.outputPath('elsewhere.md');
    writeFileSync(elsewhere, '- ✅ Chat working on https://chat.acme-prod.com/app\n- ✅ `staging.example.com` multi-user isolated\n');

    const result = await runClaims(['--update', elsewhere], { REPORTS_DIR: reportsDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\n  the update names chat.acme-prod.com, which the run did not test\n');
    expect(readFileSync(join(reportsDir, 'claims.md'), 'utf8').split('\n')[4]).toBe(
      '> ⚠️ The update names `chat.acme-prod.com`, which this run did not test (it tested `https://staging.example.com` (external, profile staging, version 2.3.0)).',
    );
    expect(JSON.parse(readFileSync(join(reportsDir, 'claims.json'), 'utf8')).hostsNotTested).toEqual(['chat.acme-prod.com']);

    const same = testInfo.outputPath('same.md');
    writeFileSync(same, '- ✅ `staging.example.com` multi-user isolated\n');
    const sameResult = await runClaims(['--update', same], { REPORTS_DIR: reportsDir });
    expect(sameResult.stdout).not.toContain('which the run did not test');
    expect(readFileSync(join(reportsDir, 'claims.md'), 'utf8')).not.toContain('which this run did not test');
  });

  test('a claim agrees only when every stage it names passed: stages not reached make it not measured, with the command', async ({}, testInfo) => {
    const update = testInfo.outputPath('update.md');
    writeFileSync(update, '- **Frontend Service Status:** ✅ Deployed\n- ✅ Database operational\n');
    const red = testInfo.outputPath('red');
    writeVerdict(red, droppedEventVerdict());
    await runClaims(['--update', update], { REPORTS_DIR: red });
    const notMeasured = JSON.parse(readFileSync(join(red, 'claims.json'), 'utf8')).claims;
    expect(notMeasured.map((claim: { agreement: string; measured: object }) => [claim.agreement, claim.measured])).toEqual([
      [
        'not measured',
        {
          result: 'not measured',
          detail: 'not reached after the agent-events failure: ui',
          command: 'npx playwright test --project=e2e --grep "@golden-path"',
        },
      ],
      [
        'not measured',
        {
          result: 'not measured',
          detail: 'not reached after the agent-events failure: persistence',
          command: 'npx playwright test --project=e2e --grep "@golden-path"',
        },
      ],
    ]);

    const green = testInfo.outputPath('green');
    writeVerdict(green, passingVerdict());
    const result = await runClaims(['--update', update], { REPORTS_DIR: green });
    expect(result.stdout).toMatch(/^claims: 2 claim\(s\) in update\.md: 0 contradicted, 2 agree, 0 not measured, 0 not measurable here\n/);
  });

  test('a ✅ whose own text reports a failure is flagged and never agrees; one about a fix is not flagged; mis-encoded emoji are put back', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    writeVerdict(reportsDir, passingVerdict());
    const update = testInfo.outputPath('update.md');
    // The second line as a Windows-1254 paste shows it, its invisible byte dropped.
    writeFileSync(update, '- **Frontend Service Status:** ✅ HTTP 404\n- ğŸ¯ ✅ No timeouts on login (503s gone)\n');

    const result = await runClaims(['--update', update], { REPORTS_DIR: reportsDir });

    expect(result.stdout).toMatch(
      /^claims: 2 claim\(s\) in update\.md: 1 contradicted, 1 agree, 0 not measured, 0 not measurable here; 1 contradict themselves\n/,
    );
    const claims = JSON.parse(readFileSync(join(reportsDir, 'claims.json'), 'utf8')).claims;
    expect(claims[0]).toMatchObject({ line: 1, agreement: 'contradicted', selfContradiction: 'its own text reports HTTP 404', measured: { result: 'PASS' } });
    expect(claims[1]).toMatchObject({ line: 2, text: '🎯 ✅ No timeouts on login (503s gone)', repaired: true, agreement: 'agrees' });
    expect(claims[1].selfContradiction).toBeUndefined();
    expect(readFileSync(join(reportsDir, 'claims.md'), 'utf8')).toContain('**⚠️ 1 claim(s) contradict themselves:**');
  });
});

test.describe('npm run comment -- --claims', () => {
  test("refuses to post the audit of a local run, posts it labelled with --allow-local-audit, and posts an external run's audit as it is", async ({}, testInfo) => {
    const local = testInfo.outputPath('local');
    writeVerdict(local, asLocalRun(passingVerdict()));
    expect((await runClaims(['--update', CHAT_RESTORED], { REPORTS_DIR: local })).code).toBe(0);

    const refused = await runComment(['--repo', 'o/n', '--issue', '7', '--claims', '--dry-run'], { REPORTS_DIR: local });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.split('\n').slice(0, 2)).toEqual([
      'comment: 1 problem(s); nothing was posted:',
      `  - ${join(local, 'claims.md')} audits a run against the bundled reference service, which says nothing about the service the update describes: ` +
        'audit a run against that service (TARGET_PROFILE=<env> npm run claims -- --update <status.md> --run), or pass --allow-local-audit to post it labelled as a local audit',
    ]);

    const allowed = await runComment(['--repo', 'o/n', '--issue', '7', '--claims', '--allow-local-audit', '--dry-run'], { REPORTS_DIR: local });
    expect(allowed.code).toBe(0);
    const body = allowed.stdout.split('----- body -----\n')[1]!;
    expect(body.split('\n').slice(0, 3)).toEqual(['<!-- golden-path-claims -->', LOCAL_AUDIT_LABEL, '']);

    const staging = testInfo.outputPath('staging');
    writeVerdict(staging, passingVerdict());
    await runClaims(['--update', CHAT_RESTORED], { REPORTS_DIR: staging });
    const external = await runComment(['--repo', 'o/n', '--issue', '7', '--claims', '--dry-run'], { REPORTS_DIR: staging });
    expect(external.code).toBe(0);
    expect(external.stdout).not.toContain(LOCAL_AUDIT_LABEL);
    expect(external.stdout).toContain('<!-- golden-path-claims -->\n### Claim audit: 0 of 23 claim(s) contradicted by the golden-path run');

    const misplaced = await runComment(['--repo', 'o/n', '--issue', '7', '--allow-local-audit', '--dry-run'], { REPORTS_DIR: staging });
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('  - --allow-local-audit applies to a claim audit only: pass it with --claims, or drop it\n');
  });
});

test.describe('npm run claims -- --run', () => {
  test('runs the e2e tests of the stages the claims name against the configured target, then audits that run', async ({}, testInfo) => {
    const dir = testInfo.outputPath('run');
    const update = testInfo.outputPath('update.md');
    writeFileSync(update, '- ✅ Multi-user isolated\n- ✅ Database operational\n- **$80K MRR:** protected ✅\n');
    // An external target nothing listens on: the nested run's preflight fails at infrastructure in a second or two.
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const env = commandEnvironment(dir, {
      TARGET: 'external',
      BASE_URL: baseUrl,
      TEST_USER_EMAIL: 'user@example.com',
      TEST_USER_PASSWORD: 'not-a-secret-here',
    });

    const result = await run(process.execPath, ['--import', 'tsx', 'scripts/claims.ts', '--update', update, '--run'], env, { inherit: false });

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'claims: measuring infrastructure, persistence, isolation against the configured target: npx playwright test --project=e2e --grep "health/|@golden-path|isolation/"',
    );
    expect(result.stdout).toContain('claims: 3 claim(s) in update.md: 1 contradicted, 0 agree, 1 not measured, 1 not measurable here\n');
    const json = JSON.parse(readFileSync(join(env.REPORTS_DIR!, 'claims.json'), 'utf8'));
    expect(json.target).toMatchObject({ kind: 'external', url: baseUrl });
    expect(Date.parse(json.run.startedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(json.verdict).toMatchObject({ verdict: 'FAIL', failingStage: 'infrastructure' });
    expect(json.claims.find((claim: { text: string }) => claim.text === '✅ Multi-user isolated').measured).toEqual({
      result: 'not measured',
      detail: 'not reached after the infrastructure failure: isolation',
      command: 'npx playwright test --project=e2e --grep "isolation/"',
    });
  });

  test('--run with --verdict, or on an update with no claim the suites measure, is a usage error and runs nothing', async ({}, testInfo) => {
    const reportsDir = testInfo.outputPath('reports');
    const both = await runClaims(['--update', CHAT_RESTORED, '--run', '--verdict', 'reports/verdict.json'], { REPORTS_DIR: reportsDir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('  - --verdict and --run exclude each other: --run audits the verdict of the run it starts; drop one of them\n');

    const revenue = testInfo.outputPath('revenue.md');
    writeFileSync(revenue, '- **$80K MRR:** protected ✅\n- ✅ Root cause identified\n');
    const nothing = await runClaims(['--update', revenue, '--run'], { REPORTS_DIR: reportsDir });
    expect(nothing.code).toBe(2);
    expect(nothing.stdout).toBe('');
    expect(nothing.stderr).toContain('  - no claim in revenue.md names a stage the suites measure, so --run has nothing to run: audit it without --run\n');
    expect(existsSync(reportsDir)).toBe(false);
  });
});

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
