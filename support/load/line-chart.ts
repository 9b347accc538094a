import { escapeMarkup } from '../evidence/escape-markup.ts';

export interface ChartSeries {
  name: string;
  color: string;
  /** [x, y] pairs; a gap (no value) breaks the line. */
  points: ReadonlyArray<readonly [number, number | undefined]>;
}

export interface LineChart {
  id: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Vertical lines with a label (phase starts), at x. */
  markers?: ReadonlyArray<{ x: number; label: string }>;
}

const WIDTH = 1120;
const HEIGHT = 260;
const LEFT = 60;
const RIGHT = 150;
const TOP = 24;
const BOTTOM = 40;

/** A line chart as inline SVG (nothing fetched): axes with round ticks, a legend on the right, phase markers. */
export function renderLineChart(chart: LineChart): string {
  const points = chart.series.flatMap(({ points }) => points.filter((point): point is readonly [number, number] => point[1] !== undefined));
  const xEnd = Math.max(1, ...points.map(([x]) => x), ...(chart.markers ?? []).map(({ x }) => x));
  const yEnd = niceCeiling(Math.max(1, ...points.map(([, y]) => y)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const bottom = HEIGHT - BOTTOM;
  const x = (value: number) => LEFT + (value / xEnd) * plotWidth;
  const y = (value: number) => bottom - (value / yEnd) * (bottom - TOP);
  const path = (series: ChartSeries) => {
    let drawing = false;
    return series.points
      .map(([px, py]) => {
        if (py === undefined) return ((drawing = false), '');
        const command = drawing ? 'L' : 'M';
        drawing = true;
        return `${command}${x(px).toFixed(1)},${y(py).toFixed(1)}`;
      })
      .join('');
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" data-chart="${escapeMarkup(chart.id)}">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    ...ticks(yEnd).map(
      (value) =>
        `<line x1="${LEFT}" y1="${y(value)}" x2="${LEFT + plotWidth}" y2="${y(value)}" stroke="#eee"/><text x="${LEFT - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    ),
    ...ticks(xEnd).map((value) => `<text x="${x(value)}" y="${bottom + 16}" text-anchor="middle">${value}</text>`),
    `<line x1="${LEFT}" y1="${bottom}" x2="${LEFT + plotWidth}" y2="${bottom}" stroke="#555"/><line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${bottom}" stroke="#555"/>`,
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeMarkup(chart.xLabel)}</text>`,
    `<text transform="translate(14 ${(TOP + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeMarkup(chart.yLabel)}</text>`,
    ...(chart.markers ?? []).map(
      ({ x: at, label }) =>
        `<line x1="${x(at)}" y1="${TOP}" x2="${x(at)}" y2="${bottom}" stroke="#999" stroke-dasharray="3 3"/><text x="${x(at) + 3}" y="${TOP + 10}" fill="#555">${escapeMarkup(label)}</text>`,
    ),
    ...chart.series.map(
      (series) => `<path d="${path(series)}" fill="none" stroke="${series.color}" stroke-width="1.5" data-series="${escapeMarkup(series.name)}"/>`,
    ),
    ...chart.series.map(
      (series, index) =>
        `<rect x="${WIDTH - RIGHT + 14}" y="${TOP + index * 16}" width="12" height="3" fill="${series.color}"/><text x="${WIDTH - RIGHT + 30}" y="${TOP + index * 16 + 5}">${escapeMarkup(series.name)}</text>`,
    ),
    '</svg>',
  ].join('\n');
}

/** 1, 2 or 5 times a power of ten, at or above `value`: an axis that ends on a round number. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((factor) => factor * power).find((end) => end >= value)!;
}

/** About five round ticks from 0 to `end`. */
function ticks(end: number): number[] {
  const rough = end / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!,
  );
  return Array.from({ length: Math.floor(end / step) + 1 }, (_, index) => index * step);
}
