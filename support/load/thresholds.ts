import type { Measure } from './types.ts';

/** The stages a latency threshold can name, as written in the expression. */
const STAGES: Record<string, Measure> = { login: 'loginMs', connect: 'connectMs', first_event: 'firstEventMs', completion: 'completionMs' };
export const STATISTICS = ['p50', 'p90', 'p95', 'p99', 'max'] as const;
export type Statistic = (typeof STATISTICS)[number];
/** The rates a threshold can name, and the summary's figure each one reads. */
export const RATES = { 'runs/s': 'runsPerSecond', 'connects/s': 'connectsPerSecond', 'events/s': 'verifiedEventsPerSecond' } as const;
export type Operator = '<=' | '>=' | '<' | '>';

export type ThresholdFigure =
  { kind: 'latency'; measure: Measure; statistic: Statistic } | { kind: 'errors'; unit: 'percent' | 'count' } | { kind: 'rate'; rate: keyof typeof RATES };

/** A pass condition on the run's figures, k6-style: `completion.p95<2000`, `errors<0.5%`, `runs/s>100`. */
export interface Threshold {
  expression: string;
  figure: ThresholdFigure;
  operator: Operator;
  value: number;
}

const FIGURES = `${Object.keys(STAGES).join('|')}.(${STATISTICS.join('|')}) in ms, errors (as % or a count), ${Object.keys(RATES).join(', ')}`;
const EXAMPLES = 'e.g. completion.p95<2000, errors<0.5%, runs/s>100';

/**
 * Parses one threshold expression: `<figure><operator><value>`, the operator one of < <= > >=. Leaks are no
 * threshold: any leak fails a run, always. The problem, when there is one, names the expression and what
 * in it is wrong.
 */
export function parseThreshold(expression: string): { threshold?: Threshold; problem?: string } {
  const fail = (why: string) => ({ problem: `threshold "${expression}": ${why}` });
  const match = /^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*(\S.*?)\s*$/.exec(expression);
  if (!match) return fail(`not <figure><operator><value> (${EXAMPLES})`);
  const [, name = '', operator, valueText = ''] = match;
  const figure = parseFigure(name);
  if (typeof figure === 'string') return fail(figure);
  const limit = parseLimit(figure, valueText);
  if (typeof limit === 'string') return fail(limit);
  return { threshold: { expression: expression.trim(), figure: limit.figure, operator: operator as Operator, value: limit.value } };
}

/** At most `percent` % of the attempts failed: what `--max-error-rate` means, and the default when no errors threshold is given. */
export function errorRateThreshold(percent: number): Threshold {
  return { expression: `errors<=${percent}%`, figure: { kind: 'errors', unit: 'percent' }, operator: '<=', value: percent };
}

/** The figure a name stands for; `errors` is a count or a percentage, which its value decides. */
function parseFigure(name: string): ThresholdFigure | string {
  if (name === 'leaks') return 'leaks cannot be a threshold: any leak fails the run';
  if (name === 'errors') return { kind: 'errors', unit: 'count' };
  if (name in RATES) return { kind: 'rate', rate: name as keyof typeof RATES };
  const [stage = '', statistic, ...rest] = name.split('.');
  const measure = STAGES[stage];
  if (!measure || rest.length > 0) return `${name} is not a figure: the figures are ${FIGURES}`;
  if (!STATISTICS.includes(statistic as Statistic))
    return `${statistic === undefined ? 'no statistic' : `${statistic} is not a statistic`} of ${stage}: use ${STATISTICS.join(', ')}`;
  return { kind: 'latency', measure, statistic: statistic as Statistic };
}

function parseLimit(figure: ThresholdFigure, text: string): { figure: ThresholdFigure; value: number } | string {
  if (figure.kind === 'latency') {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text);
    return match ? { figure, value: Number(match[1]) * (match[2] === 's' ? 1000 : 1) } : `${text} is not a number of milliseconds (2000, 2000ms or 2s)`;
  }
  if (figure.kind === 'errors') {
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
    if (percent) return Number(percent[1]) <= 100 ? { figure: { kind: 'errors', unit: 'percent' }, value: Number(percent[1]) } : `${text} is more than 100 %`;
    return /^\d+$/.test(text) ? { figure, value: Number(text) } : `${text} is not a percentage (0.5%) or a count of failed attempts (3)`;
  }
  return /^\d+(?:\.\d+)?$/.test(text) ? { figure, value: Number(text) } : `${text} is not a number of ${figure.rate}`;
}
