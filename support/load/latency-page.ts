import { percentile } from '../stats/percentile.ts';
import type { UserOutcome } from './types.ts';
import { renderLineChart, type ChartSeries } from './line-chart.ts';
import { judgeLoad } from './load-verdict.ts';
import { LOAD_MEASURES, formatChange, type LoadSummary } from './summary.ts';
import type { ThresholdResult } from './threshold-results.ts';
import { escapeMarkup } from '../evidence/escape-markup.ts';

export interface LatencyPageInput {
  title: string;
  summary: LoadSummary;
  /** The per-user figures the summary was made from; the histograms are drawn from them. */
  outcomes: readonly UserOutcome[];
  generatedAt: Date;
  target: string;
  /**
   * The thresholds the run was judged by (npm run load): it then fails on a leak or a missed threshold.
   * Without them (the suite's load tests, which judge errors themselves), any error or leak fails it.
   */
  thresholds?: readonly ThresholdResult[];
}

const MARKERS = [
  { name: 'p50', color: '#1b7f3b' },
  { name: 'p95', color: '#b26b00' },
  { name: 'p99', color: '#b00020' },
] as const;

const BINS = 30;
const WIDTH = 560;
const HEIGHT = 250;
const LEFT = 52;
const RIGHT = 64;
const TOP = 46;
const BOTTOM = 44;

const STYLE = `
body { font-family: sans-serif; font-size: 14px; color: #222; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 20px; margin-bottom: 4px; }
.meta { color: #555; margin-top: 0; }
.verdict { font-size: 18px; font-weight: bold; padding: 10px 14px; border-radius: 4px; }
.pass { background: #e3f4e8; color: #1b7f3b; }
.fail { background: #b00020; color: #fff; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 24px; padding: 0; list-style: none; }
.bad { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 4px 12px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(${WIDTH}px, 1fr)); gap: 16px; }
.plots h3, h3 { font-size: 15px; margin: 8px 0 4px; }
.no-samples { color: #555; font-style: italic; }
svg { max-width: 100%; height: auto; }
.examples li { font-family: monospace; white-space: pre-wrap; }
`;

/**
 * One self-contained HTML page (inline CSS and SVG, nothing fetched) for a load run: the verdict, the
 * run's figures, the thresholds, the percentile table of formatLoadSummary, latency and throughput over
 * time (a slow drift in a soak shows there, not in the percentiles), a latency histogram per stage with
 * the table's percentiles marked, and the example failures and leaks.
 */
export function renderLatencyPage({ title, summary, outcomes, generatedAt, target, thresholds }: LatencyPageInput): string {
  const errors = Object.values(summary.errors).reduce((sum, count) => sum + count, 0);
  const errorsByStage = Object.entries(summary.errors)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(', ');
  const failures = thresholds
    ? judgeLoad(summary, thresholds).reasons
    : [
        ...(summary.leaks > 0 ? [`${summary.leaks} ${plural(summary.leaks, 'leak')}`] : []),
        ...(errors > 0 ? [`${errors} ${plural(errors, 'error')} (${errorsByStage})`] : []),
      ];
  const figures = [
    `users ${summary.users}`,
    `attempts ${summary.attempts}`,
    `connected ${summary.connected}`,
    ...(summary.peakOpenSockets === undefined ? [] : [`at most ${summary.peakOpenSockets} open at once`]),
    `verified runs ${summary.verifiedRuns}`,
    `logins/s ${summary.loginsPerSecond}`,
    `connects/s ${summary.connectsPerSecond}`,
    `runs/s ${summary.runsPerSecond}`,
    `verified events/s ${summary.verifiedEventsPerSecond} (${summary.verifiedEvents} events)`,
  ].map((figure) => `<li>${escapeMarkup(figure)}</li>`);
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value} ms`);

  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeMarkup(title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeMarkup(title)}</h1>`,
    `<p class="meta">target ${escapeMarkup(target)} · generated ${generatedAt.toISOString()}</p>`,
    failures.length === 0
      ? `<p class="verdict pass">PASS: ${thresholds ? `no leaks, ${thresholds.length} ${plural(thresholds.length, 'threshold')} met` : 'no errors, no leaks'}</p>`
      : `<p class="verdict fail">FAIL: ${escapeMarkup(failures.join(', '))}</p>`,
    '<ul class="figures">',
    ...figures,
    `<li${errors > 0 ? ' class="bad"' : ''}>${escapeMarkup(`errors ${errors} (${(summary.errorRate * 100).toFixed(1)} %)${errors > 0 ? `: ${errorsByStage}` : ''}`)}</li>`,
    `<li${summary.leaks > 0 ? ' class="bad"' : ''}>leaks ${summary.leaks}</li>`,
    '</ul>',
    `<p class="meta">rates ${escapeMarkup(summary.rateWindow)}</p>`,
    ...(thresholds && thresholds.length > 0
      ? [
          '<h2>Thresholds</h2>',
          '<table><thead><tr><th>threshold</th><th>measured</th><th></th></tr></thead><tbody>',
          ...thresholds.map(
            ({ expression, measured, met }) =>
              `<tr><td>${escapeMarkup(expression)}</td><td>${escapeMarkup(measured)}</td><td${met ? '' : ' class="bad"'}>${met ? 'met' : 'missed'}</td></tr>`,
          ),
          '</tbody></table>',
        ]
      : []),
    ...overTime(summary),
    '<h2>Latency</h2>',
    '<table><thead><tr><th>stage</th><th>p50</th><th>p95</th><th>p99</th></tr></thead><tbody>',
    ...LOAD_MEASURES.map(({ key, label }) => `<tr><td>${label}</td>${MARKERS.map(({ name }) => `<td>${ms(summary.latency[key][name])}</td>`).join('')}</tr>`),
    '</tbody></table>',
    '<div class="plots">',
    ...LOAD_MEASURES.map(({ key, label }) => {
      const values = outcomes.flatMap((outcome) => (outcome[key] === undefined ? [] : [outcome[key]]));
      return `<section><h3>${label}: ${values.length} ${plural(values.length, 'sample')}</h3>\n${
        values.length === 0 ? `<p class="no-samples" data-stage="${label}">no samples</p>` : renderHistogram(label, values, summary.latency[key])
      }</section>`;
    }),
    '</div>',
    ...(summary.examples.length === 0
      ? []
      : [
          '<h2>Failures and leaks (first few)</h2>',
          '<ul class="examples">',
          ...summary.examples.map((example) => `<li>${escapeMarkup(example)}</li>`),
          '</ul>',
        ]),
    '</body>',
    '</html>',
  ].join('\n');
}

/** Latency and throughput window by window, with the phases marked, and each soak's first and last minute. */
function overTime(summary: LoadSummary): string[] {
  if (summary.timeline.length === 0) return [];
  const middle = (window: LoadSummary['timeline'][number]) => window.fromSecond + window.seconds / 2;
  const series = (name: string, color: string, value: (window: LoadSummary['timeline'][number]) => number | undefined): ChartSeries => ({
    name,
    color,
    points: summary.timeline.map((window) => [middle(window), value(window)] as const),
  });
  const markers = summary.phases.map(({ label, fromSecond }, index) => ({
    x: fromSecond,
    label: `phase ${index + 1}` + (summary.phases.length === 1 ? `: ${label}` : ''),
  }));
  const width = summary.timeline[0]!.seconds;
  return [
    `<h2>Over time (windows of ${width} s)</h2>`,
    ...(summary.phases.length > 1
      ? ['<ol class="phases">', ...summary.phases.map(({ label, fromSecond }) => `<li>${escapeMarkup(`from ${fromSecond} s: ${label}`)}</li>`), '</ol>']
      : []),
    '<h3>Latency of the runs that ended in each window</h3>',
    renderLineChart({
      id: 'latency-over-time',
      xLabel: 's from the start',
      yLabel: 'ms',
      markers,
      series: [
        series('completion p50', MARKERS[0].color, (window) => window.completion.p50),
        series('completion p95', MARKERS[1].color, (window) => window.completion.p95),
        series('completion p99', MARKERS[2].color, (window) => window.completion.p99),
        series('connect p95', '#4a78a8', (window) => window.connect.p95),
      ],
    }),
    '<h3>Throughput, sockets and errors</h3>',
    renderLineChart({
      id: 'throughput-over-time',
      xLabel: 's from the start',
      yLabel: 'per second / at once',
      markers,
      series: [
        series('runs/s', '#1b7f3b', (window) => window.runsPerSecond),
        series('connects/s', '#4a78a8', (window) => window.connectsPerSecond),
        series('open sockets', '#777', (window) => window.open),
        series('errors/s', '#b00020', (window) => (window.errors === undefined ? undefined : window.errors / window.seconds)),
      ],
    }),
    ...(summary.soaks.length === 0
      ? []
      : [
          '<table><thead><tr><th>soak</th><th>window</th><th>runs first / last</th><th>completion p95 first</th><th>last</th><th>change</th></tr></thead><tbody>',
          ...summary.soaks.map(
            (soak) =>
              `<tr><td>${escapeMarkup(soak.phase)}</td><td>${soak.windowSeconds} s</td><td>${soak.first.runs} / ${soak.last.runs}</td><td>${soak.first.p95 ?? '–'} ms</td><td>${soak.last.p95 ?? '–'} ms</td><td>${soak.p95Change === undefined ? '–' : formatChange(soak.p95Change)}</td></tr>`,
          ),
          '</tbody></table>',
        ]),
  ];
}

function renderHistogram(label: string, values: readonly number[], percentiles: LoadSummary['latency'][keyof LoadSummary['latency']]): string {
  const { fromMs, binMs, counts, above, slowest } = histogram(values);
  const axisEndMs = fromMs + counts.length * binMs;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const bottom = HEIGHT - BOTTOM;
  const tallest = Math.max(above, ...counts);
  const countStep = niceStep(tallest / 4);
  const countEnd = Math.ceil(tallest / countStep) * countStep;
  const x = (ms: number) => LEFT + ((ms - fromMs) / (axisEndMs - fromMs)) * plotWidth;
  const y = (count: number) => bottom - (count / countEnd) * (bottom - TOP);
  // A bar of a few users out of thousands would be under a pixel high: at least two show it is there.
  const barTop = (count: number) => Math.min(bottom - 2, y(count));
  const barWidth = plotWidth / counts.length;
  const msStep = niceStep((axisEndMs - fromMs) / 5);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" data-stage="${label}" data-samples="${values.length}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...ticks(countStep, 0, countEnd).map(
      (count) =>
        `<line x1="${LEFT}" y1="${y(count)}" x2="${LEFT + plotWidth}" y2="${y(count)}" stroke="#eee"/><text x="${LEFT - 6}" y="${y(count) + 4}" text-anchor="end">${count}</text>`,
    ),
    ...ticks(msStep, fromMs, axisEndMs).map(
      (ms) =>
        `<line x1="${x(ms)}" y1="${bottom}" x2="${x(ms)}" y2="${bottom + 4}" stroke="#555"/><text x="${x(ms)}" y="${bottom + 16}" text-anchor="middle">${ms}</text>`,
    ),
    `<line x1="${LEFT}" y1="${bottom}" x2="${LEFT + plotWidth}" y2="${bottom}" stroke="#555"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${bottom}" stroke="#555"/>`,
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle">ms (bins of ${binMs} ms)</text>`,
    `<text transform="translate(14 ${(TOP + bottom) / 2}) rotate(-90)" text-anchor="middle">users</text>`,
    ...counts.flatMap((count, index) =>
      count === 0
        ? []
        : [
            `<rect x="${x(fromMs + index * binMs)}" y="${barTop(count)}" width="${barWidth}" height="${bottom - barTop(count)}" fill="#4a78a8" stroke="#fff" stroke-width="0.5"><title>${fromMs + index * binMs}–${fromMs + (index + 1) * binMs} ms: ${count} ${plural(count, 'user')}</title></rect>`,
          ],
    ),
    ...(above === 0
      ? []
      : [
          `<rect x="${LEFT + plotWidth + 8}" y="${barTop(above)}" width="${Math.max(barWidth, 8)}" height="${bottom - barTop(above)}" fill="#d98c95"><title>above ${axisEndMs} ms (slowest ${Math.round(slowest)} ms): ${above} ${plural(above, 'user')}</title></rect>`,
          `<text x="${LEFT + plotWidth + 8}" y="${barTop(above) - 4}" fill="#b00020">${above}</text><text x="${LEFT + plotWidth + 8}" y="${bottom + 16}">&gt; ${axisEndMs}</text>`,
        ]),
    ...MARKERS.flatMap(({ name, color }, index) => {
      const at = percentiles[name];
      if (at === undefined) return [];
      const anchor = x(at) > LEFT + plotWidth * 0.7 ? 'end' : 'start';
      const labelX = anchor === 'end' ? x(at) - 3 : x(at) + 3;
      // One row of labels per marker: p95 and p99 are often a few pixels apart.
      return [
        `<line x1="${x(at)}" y1="${TOP - 34 + index * 12}" x2="${x(at)}" y2="${bottom}" stroke="${color}" stroke-width="1.5" stroke-dasharray="4 3" data-percentile="${name}" data-ms="${at}"/>` +
          `<text x="${labelX}" y="${TOP - 26 + index * 12}" fill="${color}" text-anchor="${anchor}">${name} ${at} ms</text>`,
      ];
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

/**
 * About BINS bins of whole milliseconds, from the fastest user on: a completion takes seconds, and from 0
 * most of the plot would be empty. The bins stop at the p99 plus its distance from the p50: a straggler
 * (a timeout) would otherwise squash every other user into the first bin, so the users past that are
 * counted in one bar of their own.
 */
function histogram(values: readonly number[]): { fromMs: number; binMs: number; counts: number[]; above: number; slowest: number } {
  const fastest = values.reduce((min, value) => Math.min(min, value));
  const slowest = values.reduce((max, value) => Math.max(max, value));
  const p99 = percentile(values, 99)!;
  const shownUpTo = Math.min(slowest, p99 + (p99 - percentile(values, 50)!));
  const binMs = Math.max(1, Math.ceil((shownUpTo - fastest) / BINS));
  const fromMs = Math.floor(fastest / binMs) * binMs;
  const counts = new Array<number>(Math.floor((shownUpTo - fromMs) / binMs) + 1).fill(0);
  let above = 0;
  for (const value of values) {
    if (value > shownUpTo) above++;
    else counts[Math.floor((value - fromMs) / binMs)]!++;
  }
  return { fromMs, binMs, counts, above, slowest };
}

/** A tick step for whole users and whole milliseconds: 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.max(0, Math.floor(Math.log10(rough)));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough)!;
}

/** The multiples of `step` from `start` to `end`. */
function ticks(step: number, start: number, end: number): number[] {
  const first = Math.ceil(start / step);
  return Array.from({ length: Math.floor(end / step) - first + 1 }, (_, index) => (first + index) * step);
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
