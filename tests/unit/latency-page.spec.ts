import { test, expect } from '@playwright/test';
import type { UserOutcome } from '../../support/load/types.ts';
import { renderLatencyPage } from '../../support/load/latency-page.ts';
import { summariseLoad } from '../../support/load/summary.ts';

const GENERATED_AT = new Date('2025-01-02T03:04:05.000Z');
const STAGES = ['login', 'connect', 'first event', 'completion'] as const;

const verified = (email: string, ms: number): UserOutcome => ({
  email,
  leaks: [],
  verifiedEvents: 6,
  loginMs: ms,
  connectMs: ms,
  firstEventMs: ms,
  completionMs: ms,
});

function page(outcomes: UserOutcome[], title = 'load: 3 users') {
  const summary = summariseLoad({ outcomes, loginPhaseMs: 1000, connectPhaseMs: 500, runPhaseMs: 400 });
  return { summary, html: renderLatencyPage({ title, summary, outcomes, generatedAt: GENERATED_AT, target: 'local reference service' }) };
}

interface Plot {
  samples: number;
  bars: Array<{ x: number; width: number; fromMs: number; toMs: number; count: number }>;
  above: number;
  markers: Array<{ name: string; ms: number; x: number }>;
}

function plots(html: string): Record<string, Plot> {
  return Object.fromEntries(
    [...html.matchAll(/<svg [^>]*data-stage="([^"]+)" data-samples="(\d+)">([\s\S]*?)<\/svg>/g)].map(([, stage, samples, svg]) => [
      stage!,
      {
        samples: Number(samples),
        bars: [...svg!.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>(\d+)–(\d+) ms: (\d+) users?<\/title>/g)].map(
          ([, x, width, fromMs, toMs, count]) => ({
            x: Number(x),
            width: Number(width),
            fromMs: Number(fromMs),
            toMs: Number(toMs),
            count: Number(count),
          }),
        ),
        above: Number(/<title>above \d+ ms \(slowest \d+ ms\): (\d+) users?<\/title>/.exec(svg!)?.[1] ?? 0),
        markers: [...svg!.matchAll(/<line x1="([\d.]+)"[^>]*data-percentile="(p\d\d)" data-ms="(\d+)"/g)].map(([, x, name, ms]) => ({
          name: name!,
          ms: Number(ms),
          x: Number(x),
        })),
      },
    ]),
  );
}

function verdict(html: string): string | undefined {
  return /<p class="verdict (?:pass|fail)">([^<]*)<\/p>/.exec(html)?.[1];
}

test('each stage gets a histogram holding every user with a figure for it', () => {
  const outcomes: UserOutcome[] = [
    ...Array.from({ length: 10 }, (_, index) => verified(`u${index}@x.test`, 100 + index * 10)),
    ...Array.from({ length: 3 }, (_, index): UserOutcome => ({
      email: `ws${index}@x.test`,
      leaks: [],
      verifiedEvents: 0,
      loginMs: 40,
      failure: { stage: 'websocket', message: 'closed 1006' },
    })),
    { email: 'auth@x.test', leaks: [], verifiedEvents: 0, failure: { stage: 'auth', message: 'Could not log in: 503' } },
    {
      email: 'slow@x.test',
      leaks: [],
      verifiedEvents: 0,
      loginMs: 40,
      connectMs: 9,
      firstEventMs: 300,
      failure: { stage: 'agent-events', message: 'no agent_completed' },
    },
  ];

  const shown = plots(page(outcomes).html);

  expect(Object.keys(shown)).toEqual([...STAGES]);
  const counts = Object.fromEntries(
    Object.entries(shown).map(([stage, plot]) => [stage, { samples: plot.samples, inBars: plot.bars.reduce((sum, bar) => sum + bar.count, 0) + plot.above }]),
  );
  expect(counts).toEqual({
    login: { samples: 14, inBars: 14 },
    connect: { samples: 11, inBars: 11 },
    'first event': { samples: 11, inBars: 11 },
    completion: { samples: 10, inBars: 10 },
  });
});

test('the p50, p95 and p99 markers stand at the summary table values, on the bars holding them', () => {
  // 5, 10, …, 1000 ms: nearest-rank p50 500, p95 950, p99 990.
  const outcomes = Array.from({ length: 200 }, (_, index) => verified(`u${index}@x.test`, (index + 1) * 5));

  const { summary, html } = page(outcomes);

  expect(html).toContain('<tr><td>completion</td><td>500 ms</td><td>950 ms</td><td>990 ms</td></tr>');
  for (const [stage, plot] of Object.entries(plots(html))) {
    expect(plot.bars.length, stage).toBeGreaterThanOrEqual(20);
    expect(
      plot.markers.map(({ name, ms }) => ({ name, ms })),
      stage,
    ).toEqual([
      { name: 'p50', ms: summary.latency.completionMs.p50 },
      { name: 'p95', ms: summary.latency.completionMs.p95 },
      { name: 'p99', ms: summary.latency.completionMs.p99 },
    ]);
    for (const marker of plot.markers) {
      const bar = plot.bars.find(({ fromMs, toMs }) => fromMs <= marker.ms && marker.ms < toMs);
      expect(bar, `${stage} ${marker.name}`).toBeDefined();
      expect(marker.x, `${stage} ${marker.name}`).toBeGreaterThanOrEqual(bar!.x);
      expect(marker.x, `${stage} ${marker.name}`).toBeLessThanOrEqual(bar!.x + bar!.width);
    }
  }
});

test('one straggler gets a bar of its own instead of squashing every other user into the first bin', () => {
  const outcomes = [...Array.from({ length: 299 }, (_, index) => verified(`u${index}@x.test`, 100 + (index % 100))), verified('late@x.test', 60_000)];

  const completion = plots(page(outcomes).html).completion!;

  expect(completion.above).toBe(1);
  expect(completion.bars.reduce((sum, bar) => sum + bar.count, 0)).toBe(299);
  expect(completion.bars.filter((bar) => bar.count > 0).length).toBeGreaterThanOrEqual(20);
});

test('a stage without samples says so instead of drawing an empty plot', () => {
  // Synthetic users get a minted token: they never log in.
  const outcomes = [100, 200].map((ms, index) => ({ ...verified(`u${index}@x.test`, ms), loginMs: undefined }));

  const { html } = page(outcomes);

  expect(html).toContain('<p class="no-samples" data-stage="login">no samples</p>');
  expect(Object.keys(plots(html))).toEqual(['connect', 'first event', 'completion']);
  expect(html).toContain('<tr><td>login</td><td>–</td><td>–</td><td>–</td></tr>');
});

test('what comes from the data is escaped: emails, messages, leaks, title', () => {
  const nasty = '<script>alert(1)</script>&co@x.test';
  const outcomes: UserOutcome[] = [
    { email: nasty, leaks: [], verifiedEvents: 0, failure: { stage: 'auth', message: `said "no" & <b>503</b>` } },
    { ...verified('b@x.test', 100), leaks: ['frame of <run r-9> & more'] },
  ];

  const { html } = page(outcomes, 'load <b>&</b> "co"');

  expect(html).not.toContain('<script>alert(1)</script>');
  expect(html).not.toContain('<b>');
  expect(html).toContain('<li>&lt;script&gt;alert(1)&lt;/script&gt;&amp;co@x.test: [auth] said &quot;no&quot; &amp; &lt;b&gt;503&lt;/b&gt;</li>');
  expect(html).toContain('<li>b@x.test: leak: frame of &lt;run r-9&gt; &amp; more</li>');
  expect(html).toContain('<h1>load &lt;b&gt;&amp;&lt;/b&gt; &quot;co&quot;</h1>');
});

test('the page is self-contained: no script, and no URL but the SVG namespace', () => {
  const outcomes: UserOutcome[] = [
    ...Array.from({ length: 50 }, (_, index) => verified(`u${index}@x.test`, 100 + index)),
    { email: 'http://evil.test/<script>', leaks: [], verifiedEvents: 0, failure: { stage: 'auth', message: 'see https://evil.test' } },
  ];

  const { html } = page(outcomes);

  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  expect(html.toLowerCase()).not.toContain('<script');
  // Only the example's text may name an address, and it is text, not a link or a resource.
  const urls = html
    .replace('http://evil.test/', '')
    .replace('https://evil.test', '')
    .match(/https?:\/\/[^\s"'<>)]+/g);
  expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  expect(html).not.toMatch(/\b(?:src|href)=|url\(|@import/i);
});

test('PASS only with no errors and no leaks, with the run figures in the header', () => {
  const { html } = page([verified('a@x.test', 100), verified('b@x.test', 200)]);

  expect(verdict(html)).toBe('PASS: no errors, no leaks');
  expect(html).toContain('<p class="meta">target local reference service · generated 2025-01-02T03:04:05.000Z</p>');
  for (const figure of ['users 2', 'connected 2', 'verified runs 2', 'connects/s 4', 'verified events/s 30 (12 events)', 'errors 0 (0.0 %)', 'leaks 0']) {
    expect(html).toContain(`${figure}</li>`);
  }
});

test('FAIL names the leaks and the errors by stage', () => {
  const leaked = { ...verified('leaky@x.test', 100), leaks: ["frames of another user's run r-9"] };
  const failedAt = (stage: 'auth' | 'websocket', email: string): UserOutcome => ({ email, leaks: [], verifiedEvents: 0, failure: { stage, message: 'no' } });

  expect(verdict(page([verified('a@x.test', 100), leaked]).html)).toBe('FAIL: 1 leak');
  const errored = page([verified('a@x.test', 100), failedAt('auth', 'b@x.test'), failedAt('websocket', 'c@x.test'), failedAt('auth', 'd@x.test')]).html;
  expect(verdict(errored)).toBe('FAIL: 3 errors (auth 2, websocket 1)');
  expect(errored).toContain('<li class="bad">errors 3 (75.0 %): auth 2, websocket 1</li>');
  expect(verdict(page([leaked, failedAt('websocket', 'c@x.test')]).html)).toBe('FAIL: 1 leak, 1 error (websocket 1)');
});
