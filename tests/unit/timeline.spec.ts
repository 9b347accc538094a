import { test, expect } from '@playwright/test';
import { renderTimeline } from '../../support/evidence/timeline.ts';

const THRESHOLDS = { connectMs: 2000, firstEventMs: 3000, completionMs: 10_000 };
const RUN = 'run-1';

/** `null` for a frame outside any run (a welcome). */
function frame(at: number, type: string, runId: string | null = RUN) {
  return { at, frame: { type, run_id: runId ?? undefined } };
}

const COMPLETE_RUN = [
  frame(40, 'connection_established', null),
  frame(120, 'agent_started'),
  frame(130, 'agent_thinking'),
  frame(140, 'tool_executing'),
  frame(150, 'tool_completed'),
  frame(160, 'agent_completed'),
];

function circles(svg: string): Array<{ color: string; title: string }> {
  return [...svg.matchAll(/<circle [^>]*fill="([^"]+)"><title>([^<]+)<\/title>/g)].map(([, color, title]) => ({ color: color!, title: title! }));
}

test('draws each frame of the run and the thresholds; a run within them is all green', () => {
  const svg = renderTimeline({ frames: COMPLETE_RUN, runId: RUN, sentAt: 100, thresholds: THRESHOLDS, title: 'api golden path' });

  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(circles(svg).map(({ title }) => title)).toEqual([
    'connection_established at 40.0 ms',
    'agent_started at 120.0 ms',
    'agent_thinking at 130.0 ms',
    'tool_executing at 140.0 ms',
    'tool_completed at 150.0 ms',
    'agent_completed at 160.0 ms',
  ]);
  expect(new Set(circles(svg).map(({ color }) => color))).toEqual(new Set(['#1b7f3b']));
  for (const label of ['prompt sent', 'connect ≤ 2000 ms', 'first event ≤ 3000 ms', 'completion ≤ 10000 ms']) expect(svg).toContain(label);
});

test('frames past their threshold are red, and other runs are left out', () => {
  const slow = [
    frame(2500, 'connection_established', null),
    frame(2600, 'agent_started', 'another-run'),
    frame(6000, 'agent_started'),
    frame(12_700, 'agent_completed'),
  ];
  const svg = renderTimeline({ frames: slow, runId: RUN, sentAt: 2600, thresholds: THRESHOLDS, title: 'slow <run> & co' });

  expect(circles(svg)).toEqual([
    { color: '#b00020', title: 'connection_established at 2500.0 ms' },
    { color: '#b00020', title: 'agent_started at 6000.0 ms' },
    { color: '#b00020', title: 'agent_completed at 12700.0 ms' },
  ]);
  expect(svg).toContain('slow &lt;run&gt; &amp; co');
});
