import { test, expect } from '@playwright/test';
import { judgeLoad } from '../../support/load/load-verdict.ts';
import { summariseLoad } from '../../support/load/summary.ts';
import { evaluateThresholds } from '../../support/load/threshold-results.ts';
import { parseThreshold, type Threshold } from '../../support/load/thresholds.ts';

const parsed = (expression: string): Threshold => {
  const { threshold, problem } = parseThreshold(expression);
  if (!threshold) throw new Error(problem);
  return threshold;
};

test('each kind of figure: a stage statistic in ms (or s), errors as a percentage or a count, a rate', () => {
  expect(parsed('completion.p95<2000')).toEqual({
    expression: 'completion.p95<2000',
    figure: { kind: 'latency', measure: 'completionMs', statistic: 'p95' },
    operator: '<',
    value: 2000,
  });
  expect(parsed(' first_event.max <= 1.5s ')).toMatchObject({
    expression: 'first_event.max <= 1.5s',
    figure: { kind: 'latency', measure: 'firstEventMs', statistic: 'max' },
    operator: '<=',
    value: 1500,
  });
  expect(parsed('connect.p90<300ms')).toMatchObject({ figure: { measure: 'connectMs', statistic: 'p90' }, value: 300 });
  expect(parsed('login.p99<5000')).toMatchObject({ figure: { measure: 'loginMs', statistic: 'p99' } });
  expect(parsed('errors<0.5%')).toMatchObject({ figure: { kind: 'errors', unit: 'percent' }, value: 0.5 });
  expect(parsed('errors<=3')).toMatchObject({ figure: { kind: 'errors', unit: 'count' }, operator: '<=', value: 3 });
  expect(parsed('runs/s>100')).toMatchObject({ figure: { kind: 'rate', rate: 'runs/s' }, operator: '>', value: 100 });
  expect(parsed('connects/s>=500')).toMatchObject({ figure: { kind: 'rate', rate: 'connects/s' }, operator: '>=' });
  expect(parsed('events/s>5000')).toMatchObject({ figure: { kind: 'rate', rate: 'events/s' } });
});

test('a wrong expression is named with what in it is wrong', () => {
  const problem = (expression: string) => parseThreshold(expression).problem;
  expect(problem('completion.p95')).toBe('threshold "completion.p95": not <figure><operator><value> (e.g. completion.p95<2000, errors<0.5%, runs/s>100)');
  expect(problem('completion.p95=2000')).toBe(
    'threshold "completion.p95=2000": not <figure><operator><value> (e.g. completion.p95<2000, errors<0.5%, runs/s>100)',
  );
  expect(problem('latency.p95<2000')).toBe(
    'threshold "latency.p95<2000": latency.p95 is not a figure: the figures are login|connect|first_event|completion.(p50|p90|p95|p99|max) in ms, errors (as % or a count), runs/s, connects/s, events/s',
  );
  expect(problem('completion.p96<2000')).toBe('threshold "completion.p96<2000": p96 is not a statistic of completion: use p50, p90, p95, p99, max');
  expect(problem('completion<2000')).toBe('threshold "completion<2000": no statistic of completion: use p50, p90, p95, p99, max');
  expect(problem('leaks<1')).toBe('threshold "leaks<1": leaks cannot be a threshold: any leak fails the run');
  expect(problem('completion.p95<2 seconds')).toBe('threshold "completion.p95<2 seconds": 2 seconds is not a number of milliseconds (2000, 2000ms or 2s)');
  expect(problem('errors<half')).toBe('threshold "errors<half": half is not a percentage (0.5%) or a count of failed attempts (3)');
  expect(problem('errors<150%')).toBe('threshold "errors<150%": 150% is more than 100 %');
  expect(problem('runs/s>many')).toBe('threshold "runs/s>many": many is not a number of runs/s');
});

test('each threshold is met or missed, with what the run measured; a stage without samples misses it', () => {
  const outcomes = [100, 200, 300, 400].map((completionMs, index) => ({
    email: `u${index}@x.test`,
    leaks: [],
    verifiedEvents: 6,
    connectMs: 10,
    firstEventMs: 5,
    completionMs,
  }));
  const summary = summariseLoad({
    outcomes: [...outcomes, { email: 'x@x.test', leaks: [], verifiedEvents: 0, failure: { stage: 'websocket', message: 'no' } }],
    loginPhaseMs: 0,
    connectPhaseMs: 1000,
    runPhaseMs: 1000,
  });

  expect(
    evaluateThresholds(
      summary,
      ['completion.p95<400', 'completion.p95<=400', 'completion.max>=400', 'errors<20%', 'errors<=1', 'runs/s>=4', 'runs/s>4', 'login.p50<1000'].map(parsed),
    ),
  ).toEqual([
    { expression: 'completion.p95<400', met: false, measured: '400 ms' },
    { expression: 'completion.p95<=400', met: true, measured: '400 ms' },
    { expression: 'completion.max>=400', met: true, measured: '400 ms' },
    { expression: 'errors<20%', met: false, measured: '20.00 % (1 of 5)' },
    { expression: 'errors<=1', met: true, measured: '1 failed' },
    { expression: 'runs/s>=4', met: true, measured: '4 runs/s' },
    { expression: 'runs/s>4', met: false, measured: '4 runs/s' },
    { expression: 'login.p50<1000', met: false, measured: 'no samples' },
  ]);
});

test('a leak fails the run whatever the thresholds; a missed threshold fails it too', () => {
  const met = [{ expression: 'errors<1%', met: true, measured: '0.00 % (0 of 10)' }];
  const missed = [{ expression: 'completion.p95<10', met: false, measured: '12 ms' }];

  expect(judgeLoad({ leaks: 0 }, met)).toEqual({ pass: true, reasons: [] });
  expect(judgeLoad({ leaks: 2 }, met)).toEqual({ pass: false, reasons: ["2 frame(s) reached another user's socket"] });
  expect(judgeLoad({ leaks: 0 }, missed)).toEqual({ pass: false, reasons: ['threshold completion.p95<10 missed (12 ms)'] });
  expect(judgeLoad({ leaks: 1 }, [])).toMatchObject({ pass: false });
});
