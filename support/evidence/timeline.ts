import { CRITICAL_EVENTS, isWelcome } from '../protocol/events.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import type { TranscriptEntry } from '../protocol/sequence.ts';
import { escapeMarkup } from './escape-markup.ts';

export interface TimelineInput {
  /** The socket's transcript; `at` is milliseconds since the socket was created. */
  frames: readonly TranscriptEntry[];
  runId: unknown;
  /** When the prompt left, on the same clock. */
  sentAt: number;
  thresholds: LatencyThresholds;
  title: string;
}

const LANES = ['welcome', ...CRITICAL_EVENTS, 'error'] as const;
const WIDTH = 880;
const LEFT = 150;
const RIGHT = 40;
const TOP = 50;
const LANE_HEIGHT = 28;

/**
 * A picture of one run: each frame on its event type's lane, at its time since the socket opened, with
 * the prompt and the latency thresholds (connect from the socket's creation, first event and completion
 * from the prompt) as vertical lines. Frames past their threshold are drawn red.
 */
export function renderTimeline({ frames, runId, sentAt, thresholds, title }: TimelineInput): string {
  const shown = frames.filter(({ frame }) => isWelcome(frame.type) || frame.run_id === runId || (frame.type === 'error' && frame.run_id === undefined));
  const lines = [
    { at: thresholds.connectMs, label: `connect ≤ ${thresholds.connectMs} ms`, color: '#b26b00' },
    { at: sentAt, label: 'prompt sent', color: '#555' },
    { at: sentAt + thresholds.firstEventMs, label: `first event ≤ ${thresholds.firstEventMs} ms`, color: '#b26b00' },
    { at: sentAt + thresholds.completionMs, label: `completion ≤ ${thresholds.completionMs} ms`, color: '#b00020' },
  ];
  const end = Math.max(...lines.map((line) => line.at), ...shown.map(({ at }) => at)) * 1.05 || 1;
  const x = (at: number) => LEFT + (at / end) * (WIDTH - LEFT - RIGHT);
  const height = TOP + LANES.length * LANE_HEIGHT + 40;
  const firstOfRun = shown.find(({ frame }) => frame.run_id === runId);
  const late = (entry: TranscriptEntry) =>
    isWelcome(entry.frame.type)
      ? entry.at > thresholds.connectMs
      : entry.frame.type === 'agent_completed'
        ? entry.at - sentAt > thresholds.completionMs
        : entry === firstOfRun && entry.at - sentAt > thresholds.firstEventMs;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeMarkup(title)}</text>`,
    `<text x="10" y="38" fill="#555">run ${escapeMarkup(String(runId ?? '(none seen)'))}: ${shown.length} frames; ms since the socket was created</text>`,
    ...LANES.map((lane, index) => {
      const y = TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2;
      return `<text x="10" y="${y + 4}">${lane}</text><line x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke="#eee"/>`;
    }),
    ...lines.map(
      (line, index) =>
        `<line x1="${x(line.at)}" y1="${TOP - 4}" x2="${x(line.at)}" y2="${TOP + LANES.length * LANE_HEIGHT}" stroke="${line.color}" stroke-dasharray="4 3"/>` +
        `<text x="${x(line.at) + 3}" y="${TOP + LANES.length * LANE_HEIGHT + 14 + (index % 2) * 14}" fill="${line.color}">${escapeMarkup(line.label)}</text>`,
    ),
    ...shown.map((entry) => {
      const type = String(entry.frame.type);
      const lane = isWelcome(type) ? 0 : LANES.indexOf(type as (typeof LANES)[number]);
      const y = TOP + (lane < 0 ? LANES.length - 1 : lane) * LANE_HEIGHT + LANE_HEIGHT / 2;
      const color = late(entry) || type === 'error' ? '#b00020' : '#1b7f3b';
      return `<circle cx="${x(entry.at)}" cy="${y}" r="5" fill="${color}"><title>${escapeMarkup(`${type} at ${entry.at.toFixed(1)} ms`)}</title></circle>`;
    }),
    '</svg>',
  ];
  return parts.join('\n');
}
