// `npm run claims` end to end: the real CLI as a child process, fed by a shell pipeline or a file.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { DROPPED_TOOL_COMPLETED, STATUS_UPDATES, droppedEventVerdict, passingVerdict } from '../unit/claims-verdicts.ts';
import type { Verdict } from '../../support/verdict/verdict.ts';

const CHAT_RESTORED = join(STATUS_UPDATES, 'chat-restored.md');
const REPORT = 'https://ci.example.com/golden-path/1234/';
const USAGE = 'usage: npm run claims -- --update <status.md | -> [--verdict <path> | --run]';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const inherited = { ...process.env };
  for (const name of ['REPORTS_DIR', 'REPORT_URL', 'GITHUB_TOKEN', 'GH_TOKEN']) delete inherited[name];
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...inherited, ...env }, timeout: 25_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** The command as `npm run claims` runs it (npm itself adds a second or so, and nothing under test). */
function runClaims(args: string[], env: Record<string, string>): Promise<CliResult> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/claims.ts', ...args], env);
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
