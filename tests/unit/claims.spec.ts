import { writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { LOCAL_RUN, auditClaims, stagesToMeasure } from '../../scripts/claims/audit.ts';
import { stagesForClaim } from '../../scripts/claims/claim-stages.ts';
import { selfContradiction } from '../../scripts/claims/self-contradiction.ts';
import { grepFor, measuringArgs } from '../../scripts/claims/suites.ts';
import { hostsNamed, hostsNotTested } from '../../scripts/claims/target.ts';
import { readStatusUpdate, readVerdict } from '../../scripts/claims/inputs.ts';
import { LOCAL_AUDIT_MARKER, claimsMarkdown } from '../../scripts/claims/markdown.ts';
import { parseUpdate, type FoundClaim } from '../../scripts/claims/parse-update.ts';
import { repairMisencodedUtf8 } from '../../scripts/claims/repair-encoding.ts';
import { decideVerdict, verdictMarkdown, type Verdict } from '../../support/verdict/verdict.ts';
import { DROPPED_TOOL_COMPLETED, STAGING, asLocalRun, degradedVerdict, droppedEventVerdict, passingVerdict, statusUpdate } from './claims-verdicts.ts';

const RESTORED = statusUpdate('chat-restored.md');
const ESCALATION = statusUpdate('staging-escalation.md');

/** The one claim whose text contains this, so a test fails loudly when a claim is lost or found twice. */
function claimWith<T extends FoundClaim>(claims: readonly T[], fragment: string): T {
  const found = claims.filter((claim) => claim.text.includes(fragment));
  expect(
    found.map((claim) => claim.text),
    `claims containing ${JSON.stringify(fragment)}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** How a tool that reads UTF-8 as a single-byte code page shows the text. */
function misread(text: string, encoding: 'latin1' | 'macintosh' | 'windows-1254'): string {
  return new TextDecoder(encoding).decode(Buffer.from(text, 'utf8'));
}

const ALL_STAGES_BUT_CONFIG = ['infrastructure', 'auth', 'websocket', 'agent-events', 'ai-response', 'ui', 'persistence', 'isolation', 'security', 'latency'];

test.describe('repairing mis-encoded emoji', () => {
  test('UTF-8 read as Windows-1252, Latin-1 or Mac Roman is put back', () => {
    expect(repairMisencodedUtf8('âœ… done')).toBe('✅ done');
    expect(repairMisencodedUtf8('â\u009DŒ broken, âš\u00A0ï¸\u008F partial, ðŸš¨ alarm')).toBe('❌ broken, ⚠️ partial, 🚨 alarm');
    expect(repairMisencodedUtf8(misread('✅ ❌ ⚠️ 🚨 → ≥', 'latin1'))).toBe('✅ ❌ ⚠️ 🚨 → ≥');
    expect(repairMisencodedUtf8(misread('✅ ❌ ⚠️ 🚀 — naïve', 'macintosh'))).toBe('✅ ❌ ⚠️ 🚀 — naïve');
  });

  test('UTF-8 read as Windows-1254 (0xF0, the lead byte of 🎯 🚀 📊, shown as ğ) is put back', () => {
    expect(repairMisencodedUtf8(misread('🎯 **STATUS: RESOLVED** 🚀 📊 ✅ ❌ ⚠️ 🚨', 'windows-1254'))).toBe('🎯 **STATUS: RESOLVED** 🚀 📊 ✅ ❌ ⚠️ 🚨');
  });

  test('a paste that dropped the invisible control of an undefined byte, or made its no-break space a space, is put back', () => {
    // 🎯 in Windows-1254 is ğ Ÿ U+008E ¯; ❌ in Windows-1252 is â U+009D Œ; ⚠️ is â š NBSP ï ¸ U+008F.
    expect(repairMisencodedUtf8('ğŸ¯ **STATUS: RESOLVED …')).toBe('🎯 **STATUS: RESOLVED …');
    expect(repairMisencodedUtf8('âŒ **Database:** down, âš ï¸ WebSocket slow')).toBe('❌ **Database:** down, ⚠️ WebSocket slow');
  });

  test('text that was never mis-encoded is left as it is, accents and symbols included', () => {
    for (const text of ['café — naïve ≥ 1 → ok', '✅ WebSocket: all 5 events', 'Größe: 5 µs · 10 €', 'Ö ü ß alone']) {
      expect(repairMisencodedUtf8(text)).toBe(text);
    }
  });
});

test.describe('finding the claims of a status update', () => {
  test('checklist items, table rows, bold status lines, test counts and statements are claims; what each states', () => {
    const claims = parseUpdate(RESTORED);
    const expected: Array<[string, FoundClaim['kind'], FoundClaim['stated'], number]> = [
      ['Golden Path RESTORED', 'statement', 'working', 1],
      ['**Status:** ✅ **RESOLVED**', 'status-line', 'working', 3],
      ['**Previous:** 1/4 tests passing ❌', 'test-count', 'broken', 11],
      ['**Now:** **4/4 tests passing** ✅', 'test-count', 'working', 12],
      ['**Auth Service** | ✅ Operational | JWT validation confirmed', 'table-row', 'working', 38],
      ['**Monitoring** | ⚠️ Partial | Alerts still noisy', 'table-row', 'partial', 41],
      ['✅ Golden Path: users login → receive AI responses', 'list-item', 'working', 44],
      ['✅ WebSocket: all 5 critical events working', 'list-item', 'working', 45],
      ['✅ Multi-user isolated', 'list-item', 'working', 46],
      ['✅ Database operational', 'list-item', 'working', 47],
      ['[x] Announce the fix to support', 'list-item', 'working', 62],
      ['**Validation Status:** ✅ ALL SYSTEMS OPERATIONAL', 'status-line', 'working', 64],
    ];
    for (const [fragment, kind, stated, line] of expected) {
      expect(claimWith(claims, fragment), fragment).toMatchObject({ kind, stated, line });
    }
    expect(claimWith(claims, '4/4 tests').testCount).toEqual({ passing: 4, total: 4 });
  });

  test('a header row, a separator, a to-do and prose are not claims', () => {
    const texts = parseUpdate(RESTORED).map((claim) => claim.text);
    for (const fragment of [
      'Component | Status | Notes',
      '---',
      'Tune the alert thresholds',
      'Remove the old relay code',
      'The event relay lost',
      'Session:',
    ]) {
      expect(
        texts.filter((text) => text.includes(fragment)),
        fragment,
      ).toEqual([]);
    }
  });

  test('a line with a mark per claim is as many claims; a closing mark ends its own claim', () => {
    const claims = parseUpdate(
      ['- **Business Continuity:** ✅ Chat working, ✅ Revenue protected', '- Phases 1-2 ✅, Phase 3-7 ❌ (blocked by database)'].join('\n'),
    );
    expect(claims.map(({ line, text, stated }) => ({ line, text, stated }))).toEqual([
      { line: 1, text: '✅ Chat working', stated: 'working' },
      { line: 1, text: '✅ Revenue protected', stated: 'working' },
      { line: 2, text: 'Phases 1-2 ✅', stated: 'working' },
      { line: 2, text: 'Phase 3-7 ❌ (blocked by database)', stated: 'broken' },
    ]);
  });

  test('mis-encoded emoji in list items, tables and status lines parse like the real ones, and are flagged', () => {
    const claims = parseUpdate(ESCALATION);
    expect(claimWith(claims, 'Application Code')).toMatchObject({
      text: '✅ **Application Code:** Healthy - no regression in the last 12 commits',
      stated: 'working',
      repaired: true,
    });
    expect(claimWith(claims, 'Auth Service')).toMatchObject({ text: '✅ **Auth Service:** JWT validation working', stated: 'working', repaired: true });
    expect(claimWith(claims, 'Postgres')).toMatchObject({ stated: 'broken', repaired: true, line: 10 });
    expect(claimWith(claims, 'WebSocket')).toMatchObject({
      text: '⚠️ **WebSocket:** events arrive late, 2 of 5 missing on staging',
      stated: 'partial',
      repaired: true,
    });
    expect(claimWith(claims, 'Redis')).toMatchObject({ stated: 'broken', repaired: false });
    expect(claimWith(claims, 'Backend readiness')).toMatchObject({
      kind: 'table-row',
      text: 'Backend readiness | ❌ Down | 503 on /health/ready',
      stated: 'broken',
      repaired: true,
    });
    expect(claimWith(claims, 'Login |')).toMatchObject({ kind: 'table-row', text: 'Login | ⚠️ Degraded | logins take 9 s', stated: 'partial', repaired: true });
    expect(claimWith(claims, 'Code Status')).toMatchObject({ kind: 'status-line', stated: 'working', repaired: true });
    expect(claimWith(claims, 'P0 ESCALATION')).toMatchObject({
      text: '🚨 P0 ESCALATION: Staging Chat BLOCKED - Infrastructure Failure',
      stated: 'broken',
      line: 1,
    });
  });

  for (const encoding of ['latin1', 'macintosh'] as const) {
    test(`an update whose every emoji was read as ${encoding} gives the same claims as the original`, () => {
      const original = parseUpdate(RESTORED);
      const mangled = parseUpdate(misread(RESTORED, encoding));
      expect(mangled.filter((claim) => claim.repaired).length).toBeGreaterThan(10);
      expect(mangled.map(({ repaired: _, ...claim }) => claim)).toEqual(original.map(({ repaired: _, ...claim }) => claim));
    });
  }
});

test.describe('auditing the claims against a verdict', () => {
  test('every verifiable claim lands on the stages that can support or refute it', () => {
    const claims = auditClaims(parseUpdate(RESTORED), passingVerdict());
    const expected: Array<[string, string[]]> = [
      ['✅ Golden Path: users login → receive AI responses', ALL_STAGES_BUT_CONFIG],
      ['✅ WebSocket: all 5 critical events working', ['websocket', 'agent-events']],
      ['✅ Multi-user isolated', ['isolation']],
      ['✅ Database operational', ['infrastructure', 'persistence']],
      ['**Auth Service** |', ['auth', 'security']],
      ['**Frontend** |', ['ui']],
      ['No timeouts on login (503s gone)', ['auth', 'security', 'latency']],
      ['4/4 tests passing', ALL_STAGES_BUT_CONFIG],
      ['ALL SYSTEMS OPERATIONAL', ALL_STAGES_BUT_CONFIG],
    ];
    for (const [fragment, stages] of expected) expect(claimWith(claims, fragment).stages, fragment).toEqual(stages);
    const readiness = auditClaims(parseUpdate(ESCALATION), passingVerdict());
    expect(claimWith(readiness, 'Backend readiness').stages).toEqual(['infrastructure', 'auth', 'latency']);
  });

  test('against a green run, every verifiable "working" claim agrees and none is contradicted', () => {
    const claims = auditClaims(parseUpdate(RESTORED), passingVerdict());
    expect(claims.filter((claim) => claim.agreement === 'contradicted').map((claim) => claim.text)).toEqual([]);
    expect(claimWith(claims, 'all 5 critical events')).toMatchObject({ measured: { result: 'PASS' }, agreement: 'agrees' });
    expect(claimWith(claims, '4/4 tests passing')).toMatchObject({
      measuredBy: 'test counts',
      measured: { result: 'PASS', detail: '6/6 tests passed' },
      agreement: 'agrees',
    });
  });

  test('against a run that failed at agent-events (tool_completed dropped), "all 5 events" is contradicted, and is the first row', () => {
    const claims = auditClaims(parseUpdate(RESTORED), droppedEventVerdict());
    const events = claimWith(claims, '✅ WebSocket: all 5 critical events working');
    expect(events).toMatchObject({
      stated: 'working',
      measured: { result: 'FAIL', stage: 'agent-events', detail: DROPPED_TOOL_COMPLETED.message.split('\n')[0] },
      agreement: 'contradicted',
    });

    const contradicted = claims.filter((claim) => claim.agreement === 'contradicted');
    expect(claims.slice(0, contradicted.length)).toEqual(contradicted);
    expect(contradicted[0]!.measured.stage).toBe('agent-events');
    expect(contradicted[0]!.stages).toEqual(['websocket', 'agent-events']);
    expect(contradicted.map((claim) => claim.line)).toEqual([39, 45, 1, 3, 12, 44, 57, 64]);
    expect(claimWith(claims, '✅ Golden Path: users login')).toMatchObject({ measured: { result: 'FAIL', stage: 'agent-events' }, agreement: 'contradicted' });
    expect(claimWith(claims, '4/4 tests passing')).toMatchObject({
      measured: { result: 'FAIL', detail: '2/5 tests passed, 3 failed' },
      agreement: 'contradicted',
    });
  });

  test('a claim agrees only when every stage it names passed; one not run or not reached makes it not measured, naming them and the command', () => {
    const claims = auditClaims(parseUpdate(RESTORED), droppedEventVerdict());
    expect(claimWith(claims, 'Multi-user isolated')).toMatchObject({
      measured: { result: 'not measured', detail: 'not run: isolation', command: 'npx playwright test --project=e2e --grep "isolation/"' },
      agreement: 'not measured',
    });
    expect(claimWith(claims, '**Frontend** |')).toMatchObject({
      measured: {
        result: 'not measured',
        detail: 'not reached after the agent-events failure: ui',
        command: 'npx playwright test --project=e2e --grep "@golden-path"',
      },
      agreement: 'not measured',
    });
    // The verdict calls ui passed (the page rendered before the events failed), but the answer never reached it.
    expect(droppedEventVerdict().stages.find((entry) => entry.stage === 'ui')?.status).toBe('passed');
    // Readiness passed, but nothing was stored: half a measurement is no agreement.
    expect(claimWith(claims, 'Database operational')).toMatchObject({
      measured: { result: 'not measured', detail: 'not reached after the agent-events failure: persistence' },
      agreement: 'not measured',
    });
    // The same claims against a run that reached and passed every stage they name.
    const green = auditClaims(parseUpdate(RESTORED), passingVerdict());
    for (const fragment of ['Multi-user isolated', '**Frontend** |', 'Database operational']) {
      expect(claimWith(green, fragment), fragment).toMatchObject({ measured: { result: 'PASS' }, agreement: 'agrees' });
    }
  });

  test('a skipped test leaves its stages not measured, and says tests were skipped', () => {
    const skipped = decideVerdict({
      ...verdictInput(),
      runStatus: 'passed',
      tests: [
        { title: 'golden path', tags: ['@golden-path'], outcome: 'expected', attempts: 1, durationMs: 400, stageTimings: [{ stage: 'auth', durationMs: 20 }] },
        { title: 'two users', tags: ['@smoke'], outcome: 'skipped', attempts: 1, durationMs: 0, stageTimings: [] },
      ],
    });
    expect(claimWith(auditClaims(parseUpdate(RESTORED), skipped), 'Multi-user isolated')).toMatchObject({
      measured: { result: 'not measured', detail: 'not run (1 test(s) skipped): isolation' },
      agreement: 'not measured',
    });
  });

  test('nothing the harness cannot judge is ever marked as agreeing', () => {
    const unjudgeable = ['$80K MRR', 'Customer Trust', '✅ Revenue protected', 'SSOT Compliance', '**Previous:**', '**Monitoring** |', 'Announce the fix'];
    for (const verdict of [passingVerdict(), droppedEventVerdict(), degradedVerdict()]) {
      const claims = auditClaims(parseUpdate(RESTORED), verdict);
      for (const fragment of unjudgeable) expect(claimWith(claims, fragment).agreement, fragment).toBe('not measurable here');
      const escalation = auditClaims(parseUpdate(ESCALATION), verdict);
      expect(claimWith(escalation, 'Root Cause Status')).toMatchObject({
        agreement: 'not measurable here',
        unmeasurable: expect.stringContaining('root cause'),
      });
      expect(claimWith(escalation, '$300K+ ARR')).toMatchObject({ agreement: 'not measurable here', unmeasurable: expect.stringContaining('revenue') });
      for (const claim of [...claims, ...escalation].filter((candidate) => candidate.agreement === 'agrees')) {
        expect(claim.unmeasurable, claim.text).toBeUndefined();
        expect(claim.stages.length, claim.text).toBeGreaterThan(0);
        expect(claim.stated, claim.text).not.toBe('not stated');
      }
    }
  });

  test('an update that calls things broken is contradicted by a green run and agrees with a red one', () => {
    const green = auditClaims(parseUpdate(ESCALATION), passingVerdict());
    expect(claimWith(green, 'Redis')).toMatchObject({ stated: 'broken', measured: { result: 'PASS' }, agreement: 'contradicted' });
    expect(claimWith(green, '0/6 tests passing')).toMatchObject({ stated: 'broken', measured: { result: 'PASS' }, agreement: 'contradicted' });
    const red = auditClaims(parseUpdate(ESCALATION), droppedEventVerdict());
    expect(claimWith(red, '⚠️ **WebSocket:**')).toMatchObject({ stated: 'partial', measured: { result: 'FAIL', stage: 'agent-events' }, agreement: 'agrees' });
    expect(claimWith(red, '0/6 tests passing')).toMatchObject({ agreement: 'agrees' });
    // Readiness saw Redis answer, but storage was never reached: "offline" is refuted only when every stage it names passed.
    expect(claimWith(red, 'Redis')).toMatchObject({ measured: { result: 'not measured' }, agreement: 'not measured' });
  });

  test('the failure the run found comes before claims of breakage it did not see, though their stage comes earlier', () => {
    const update = ['- ❌ **Redis:** OFFLINE', '- ✅ Multi-user isolated', '- ✅ WebSocket: all 5 critical events working', '- ❌ Auth is down'].join('\n');
    const claims = auditClaims(parseUpdate(update), droppedEventVerdict());
    expect(claims.map(({ line, agreement, measured }) => ({ line, agreement, result: measured.result }))).toEqual([
      { line: 3, agreement: 'contradicted', result: 'FAIL' },
      { line: 4, agreement: 'contradicted', result: 'PASS' },
      { line: 1, agreement: 'not measured', result: 'not measured' },
      { line: 2, agreement: 'not measured', result: 'not measured' },
    ]);
  });

  test('a degraded run is DEGRADED for the claims that cover latency, and still agrees with "working"', () => {
    const claims = auditClaims(parseUpdate(RESTORED), degradedVerdict());
    expect(claimWith(claims, 'No timeouts on login')).toMatchObject({
      measured: { result: 'DEGRADED', detail: expect.stringContaining('completion took 6200.0 ms') },
      agreement: 'agrees',
    });
    expect(claimWith(claims, 'all 5 critical events').measured.result).toBe('PASS');
  });

  test('a failure without a stage marker refutes a claim about the whole golden path, not one about a single stage', () => {
    const timedOut = decideVerdict({
      ...verdictInput(),
      tests: [
        {
          title: 'golden path',
          tags: ['@golden-path'],
          outcome: 'unexpected',
          attempts: 1,
          durationMs: 30_000,
          failure: { message: 'Test timeout of 30000ms exceeded.' },
          stageTimings: [{ stage: 'auth', durationMs: 20 }],
        },
        {
          title: 'an expired token is refused',
          tags: ['@smoke'],
          outcome: 'expected',
          attempts: 1,
          durationMs: 300,
          stageTimings: [
            { stage: 'auth', durationMs: 20 },
            { stage: 'security', durationMs: 20 },
          ],
        },
      ],
    });
    const claims = auditClaims(parseUpdate(RESTORED), timedOut);
    expect(claimWith(claims, '✅ Golden Path: users login')).toMatchObject({ measured: { result: 'FAIL', stage: 'unattributed' }, agreement: 'contradicted' });
    expect(claimWith(claims, '**Auth Service** |')).toMatchObject({ measured: { result: 'PASS' }, agreement: 'agrees' });
  });
});

test.describe('claims.md', () => {
  const REPORT = 'https://ci.example.com/golden-path/1234/';

  function markdownFor(verdict: Verdict, reportUrl: string | null): string {
    return claimsMarkdown({ update: 'chat-restored.md', verdict, hostsNotTested: [], reportUrl, claims: auditClaims(parseUpdate(RESTORED), verdict) });
  }

  test("is headed by the verdict in verdict.md's words and the report link; the first row is the claim about the stage that failed", () => {
    const verdict = droppedEventVerdict(REPORT);
    const lines = markdownFor(verdict, REPORT).split('\n');
    expect(lines[0]).toBe('### Claim audit: 8 of 23 claim(s) contradicted by the golden-path run');
    expect(lines[2]).toBe(
      '**Target:** `https://staging.example.com` (external, profile staging, version 2.3.0) · run 2026-11-22T10:00:00.000Z → 2026-11-22T10:00:41.000Z',
    );
    const verdictHeadline = verdictMarkdown(verdict).split('\n')[0]!.replace('### Golden path: ', '');
    expect(lines[4]).toBe(`Golden path: ${verdictHeadline} · 2 passed, 3 failed, 0 flaky, 0 skipped · [Full report](${REPORT})`);
    expect(lines[6]).toBe(`> Why: ${DROPPED_TOOL_COMPLETED.message.split('\n')[0]}`);
    const rows = lines.filter((line) => /^\| \d+ \|/.test(line));
    expect(rows[0]).toBe(
      '| 39 | WebSocket \\| ✅ Healthy \\| Reconnect handler restored | websocket, agent-events | working | FAIL at agent-events | ❌ contradicted |',
    );
    expect(rows[1]).toBe('| 45 | ✅ WebSocket: all 5 critical events working | websocket, agent-events | working | FAIL at agent-events | ❌ contradicted |');
    expect(rows).toContain('| 12 | Now: 4/4 tests passing ✅ | all stages | working | FAIL at agent-events (2/5 tests passed, 3 failed) | ❌ contradicted |');
    expect(rows).toContain(
      '| 46 | ✅ Multi-user isolated | isolation | working | not measured (not run: isolation; measure: `npx playwright test --project=e2e --grep "isolation/"`) | ⏭️ not measured |',
    );
    expect(lines).toContain(
      'To measure what this run did not: `npm run claims -- --update chat-restored.md --run` runs the tests of every stage the claims name against the configured target, then audits again.',
    );
    expect(lines.join('\n')).not.toContain(LOCAL_AUDIT_MARKER);
  });

  test('lists what it cannot judge apart, with the reason, and says so when no REPORT_URL was set', () => {
    const markdown = markdownFor(passingVerdict(), null);
    expect(markdown).toContain('<details><summary>10 claim(s) not measurable here</summary>');
    expect(markdown).toContain('| 55 | $80K MRR: Protected ✅ | working | revenue and business impact are not measured by a test run |');
    expect(markdown).toContain("_No REPORT_URL was set: the report is in the run's artifacts._");
    expect(markdown.split('\n')[0]).toBe('### Claim audit: 0 of 23 claim(s) contradicted by the golden-path run');
    expect(markdown.split('\n')[4]).toMatch(/^Golden path: ✅ PASS · 6 passed/);
    expect(markdown).not.toContain('To measure what this run did not');
  });

  test('an update with no claim says how claims are recognised', () => {
    const markdown = claimsMarkdown({
      update: 'notes.md',
      hostsNotTested: [],
      verdict: passingVerdict(),
      reportUrl: null,
      claims: auditClaims(parseUpdate('We looked into it.\n'), passingVerdict()),
    });
    expect(markdown).toContain('No claim found in notes.md: no ✅/❌/⚠️ mark, status word (RESOLVED, OPERATIONAL, BLOCKED, …) or "N/N tests passing".');
    expect(markdown).not.toContain('| Line |');
  });
});

test.describe('the target is part of the evidence', () => {
  test('a run against the bundled reference service agrees with no claim and contradicts none; what no run can judge stays apart', () => {
    for (const verdict of [passingVerdict(), droppedEventVerdict()]) {
      const claims = auditClaims(parseUpdate(RESTORED), asLocalRun(verdict));
      expect(claims.filter((claim) => claim.agreement === 'agrees' || claim.agreement === 'contradicted')).toEqual([]);
      for (const claim of claims.filter((candidate) => candidate.agreement !== 'not measurable here')) {
        expect(claim.measured, claim.text).toEqual({ result: 'not measured', detail: LOCAL_RUN, command: 'TARGET_PROFILE=<env> npm run smoke' });
      }
      expect(claimWith(claims, '$80K MRR').agreement).toBe('not measurable here');
    }
    // The same verdicts against the staging target do agree and contradict.
    expect(claimWith(auditClaims(parseUpdate(RESTORED), passingVerdict()), 'Multi-user isolated').agreement).toBe('agrees');
    expect(claimWith(auditClaims(parseUpdate(RESTORED), droppedEventVerdict()), 'all 5 critical events').agreement).toBe('contradicted');
  });

  test('claims.md of a local run says so in its title and at the top, with the command to run against the described service, and ends with the marker the comment reads', () => {
    const verdict = asLocalRun(passingVerdict());
    const markdown = claimsMarkdown({
      update: 'chat-restored.md',
      verdict,
      hostsNotTested: [],
      reportUrl: null,
      claims: auditClaims(parseUpdate(RESTORED), verdict),
    });
    const lines = markdown.trimEnd().split('\n');
    expect(lines[0]).toBe(`### Claim audit: nothing measured, ${LOCAL_RUN}`);
    expect(lines[2]).toBe('**Target:** the bundled reference service (local) · run 2026-11-22T10:00:00.000Z → 2026-11-22T10:00:41.000Z');
    expect(lines[4]).toContain('> ⚠️ **Not evidence about the service the update describes.**');
    expect(lines[4]).toContain(
      '`TARGET_PROFILE=<env> npm run smoke`, then `npm run claims -- --update chat-restored.md` (or both at once: `TARGET_PROFILE=<env> npm run claims -- --update chat-restored.md --run`)',
    );
    expect(markdown).toContain('| 46 | ✅ Multi-user isolated | isolation | working | not measured (local run) | ⏭️ not measured |');
    expect(lines.at(-1)).toBe(LOCAL_AUDIT_MARKER);
  });

  test('hosts the update names are read from URLs and host names, not from module paths, files or e-mail addresses', () => {
    const update = [
      '- ✅ Backend on https://api.staging.acme-chat.io/health answers',
      '- ❌ `chat.acme-chat.com` down; see http://10.0.0.7:8080/status',
      '- Module `netra_backend.app.services.monitoring` missing; `validate_docker_build.py` passes; mail ops@acme-chat.com',
      '- ✅ staging.acme-chat.io and https://API.staging.acme-chat.io/ again',
    ].join('\n');
    expect(hostsNamed(update)).toEqual(['api.staging.acme-chat.io', 'chat.acme-chat.com', '10.0.0.7', 'staging.acme-chat.io']);
    expect(hostsNotTested(update, { kind: 'external', url: 'https://api.staging.acme-chat.io' })).toEqual([
      'chat.acme-chat.com',
      '10.0.0.7',
      'staging.acme-chat.io',
    ]);
    expect(hostsNotTested(update, { kind: 'local' })).toEqual(hostsNamed(update));
    expect(hostsNotTested('- ✅ https://staging.example.com/chat works\n', STAGING)).toEqual([]);
  });

  test('a host the update names that the run did not test is said at the top', () => {
    const verdict = passingVerdict();
    const report = (hostsNotTested: string[]) =>
      claimsMarkdown({ update: 'u.md', verdict, hostsNotTested, reportUrl: null, claims: auditClaims(parseUpdate(RESTORED), verdict) }).split('\n');
    expect(report(['chat.acme-chat.com'])[4]).toBe(
      '> ⚠️ The update names `chat.acme-chat.com`, which this run did not test (it tested `https://staging.example.com` (external, profile staging, version 2.3.0)).',
    );
    expect(report([]).join('\n')).not.toContain('which this run did not test');
  });
});

test.describe('claims that contradict themselves', () => {
  const flagOf = (line: string) => parseUpdate(line).map(selfContradiction)[0];

  test('a ✅ beside an HTTP 4xx/5xx, "failed", a timeout or a pass rate under 100 % is flagged', () => {
    expect(flagOf('- **Frontend Service Status:** ✅ HTTP 404')).toBe('its own text reports HTTP 404');
    expect(flagOf('| Backend | ✅ Up | 503 on /health/ready |')).toBe('its own text reports HTTP 503');
    expect(flagOf('- ✅ Agent pipeline: 2 runs failed overnight')).toBe('its own text says "failed"');
    expect(flagOf('- ✅ Login working, times out after 30 s on staging')).toBe('its own text reports a timeout ("times out")');
    expect(flagOf('- ✅ **WebSocket tests:** 87.5% pass rate')).toBe('its own text reports a pass rate of 87.5 %');
    expect(flagOf('- ✅ **Now:** 3/4 tests passing')).toBe('its own text reports 3 of 4 tests passing');
  });

  test('a ✅ about a fix or a refusal, a ❌ beside a failure and a full pass rate are not flagged', () => {
    for (const line of [
      '- ✅ No timeouts on login (503s gone)',
      '- ✅ **Agent Execution Timeouts:** Fixed - all endpoints responding',
      '- ✅ Expired tokens refused with HTTP 401',
      '- ❌ **Frontend:** HTTP 404 on /chat',
      '- ✅ **Now:** 4/4 tests passing (100% success rate)',
      '- ✅ Database timeouts correctly configured (75 s)',
    ]) {
      expect(flagOf(line), line).toBeUndefined();
    }
  });

  test('a flagged claim is never agreed with, whatever the run says, and claims.md lists it at the top', () => {
    const update = '- **Frontend Service Status:** ✅ HTTP 404\n- ✅ Frontend deployed\n';
    const claims = auditClaims(parseUpdate(update), passingVerdict());
    expect(claimWith(claims, 'HTTP 404')).toMatchObject({
      measured: { result: 'PASS' },
      agreement: 'contradicted',
      selfContradiction: 'its own text reports HTTP 404',
    });
    expect(claimWith(claims, 'Frontend deployed')).toMatchObject({ agreement: 'agrees' });
    expect(claimWith(claims, 'Frontend deployed').selfContradiction).toBeUndefined();
    const markdown = claimsMarkdown({ update: 'u.md', verdict: passingVerdict(), hostsNotTested: [], reportUrl: null, claims });
    expect(markdown).toContain(
      '**⚠️ 1 claim(s) contradict themselves:** marked as working beside a failure their own text reports, whatever the run says.\n\n- line 1: Frontend Service Status: ✅ HTTP 404: its own text reports HTTP 404',
    );
    expect(markdown).toContain('| 1 | Frontend Service Status: ✅ HTTP 404 | ui | working | PASS | ❌ contradicted · ⚠️ contradicts itself |');
  });
});

test.describe('phrase families map to their stages', () => {
  const stagesOf = (text: string) => stagesForClaim(text).stages;

  test('isolation: multi-user, isolated, user isolation, cross-user', () => {
    for (const text of [
      'Agent System ✅ Multi-user Isolated',
      '✅ **User Isolation:** verified per session',
      'Cross-user event leakage: eliminated ✅',
      'Tenant data separated ✅',
      'Multi-user sessions verified ✅',
      'Per-user event routing confirmed ✅',
    ]) {
      expect(stagesOf(text), text).toContain('isolation');
    }
    expect(stagesOf('✅ Multi-user Isolated')).toEqual(['isolation']);
  });

  test('events: the agent events and their delivery', () => {
    for (const text of [
      '✅ WebSocket: all 5 critical events working',
      'Factory patterns unified, events working ✅',
      '✅ agent_started → agent_completed delivered',
      '✅ tool_completed now sent',
      'Real-time updates restored ✅',
    ]) {
      expect(stagesOf(text), text).toEqual(['websocket', 'agent-events']);
    }
  });

  test('latency: timeouts, slowness, response times, durations', () => {
    for (const text of [
      '✅ **Database Timeouts:** correctly configured',
      'Login ⚠️ Degraded: logins take 9 s',
      '✅ Infrastructure healthy and performant',
      'Events arrive late ⚠️',
      '✅ p95 response time under 2 s',
    ]) {
      expect(stagesOf(text), text).toContain('latency');
    }
  });

  test('security: refusals, CORS and origins, bad credentials', () => {
    for (const text of [
      '✅ CORS locked to our origin',
      '✅ Expired tokens rejected',
      '✅ Unauthorized requests get 401',
      '✅ Security review passed',
      '✅ Forged credentials refused',
      '✅ Frames from a foreign socket rejected',
    ]) {
      expect(stagesOf(text), text).toContain('security');
    }
  });

  test("a table row's evidence column does not make its claim unmeasurable", () => {
    const claims = auditClaims(parseUpdate('| **Agent System** | ✅ Multi-user Isolated | factory architecture, customer-ready |\n'), droppedEventVerdict());
    expect(claims[0]).toMatchObject({
      stages: ['agent-events', 'ai-response', 'isolation'],
      agreement: 'contradicted',
      measured: { result: 'FAIL', stage: 'agent-events' },
    });
    const isolatedOnly = auditClaims(parseUpdate('| **Sessions** | ✅ Multi-user Isolated | factory architecture |\n'), droppedEventVerdict());
    expect(isolatedOnly[0]).toMatchObject({ agreement: 'not measured', measured: { detail: 'not run: isolation' } });
  });
});

test.describe('the tests that measure the claims (--run)', () => {
  test('are the suites of every stage a measurable claim names, and nothing for an update with none', () => {
    expect(stagesToMeasure(parseUpdate('- ✅ Multi-user isolated\n- ✅ CORS locked to our origin\n- **$80K MRR:** protected ✅\n'))).toEqual([
      'isolation',
      'security',
    ]);
    expect(grepFor(['isolation', 'security'])).toBe('isolation/|auth/');
    expect(measuringArgs(stagesToMeasure(parseUpdate(RESTORED)))).toEqual(['test', '--project=e2e', '--grep', 'health/|@golden-path|auth/|isolation/']);
    expect(stagesToMeasure(parseUpdate('- **$80K MRR:** protected ✅\n- ✅ Root cause identified\n'))).toEqual([]);
  });
});

test.describe('reading the inputs', () => {
  test('--update - on a terminal is refused instead of waiting for input that never comes', () => {
    const read = readStatusUpdate('-', { isTTY: true, read: () => Buffer.from('never read') });
    expect(read).toEqual({
      problem: '--update - reads standard input, which is a terminal here: pipe the update in, e.g. cat status.md | npm run claims -- --update -',
    });
  });

  test('--update - reads piped input and names it "standard input"', () => {
    const read = readStatusUpdate('-', { isTTY: undefined, read: () => Buffer.from('- ✅ Database operational\n') });
    expect(read).toEqual({ value: { name: 'standard input', markdown: '- ✅ Database operational\n' } });
  });

  test("a verdict.json that is not the harness's names the field that is wrong", ({}, testInfo) => {
    const path = testInfo.outputPath('verdict.json');
    const { stages: _, ...withoutStages } = passingVerdict();
    writeFileSync(path, JSON.stringify(withoutStages));
    expect(readVerdict(path).problem).toMatch(
      new RegExp(`^the verdict ${escapeRegExp(path)} is not one the harness wrote \\(stages: .+\\): run the tests first`),
    );
  });
});

function verdictInput(): Omit<Parameters<typeof decideVerdict>[0], 'tests'> {
  const started = new Date('2026-11-22T10:00:00.000Z');
  return {
    runErrors: [],
    runStatus: 'failed',
    startedAt: started,
    finishedAt: new Date(started.getTime() + 31_000),
    target: { ...STAGING, differences: [] },
    harness: { version: '0.1.0', commit: undefined },
    reportUrl: undefined,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
