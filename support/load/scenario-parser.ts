import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration, parseRate } from './durations.ts';
import { phaseUsers, type LoadPhase, type LoadScenario, type Shard } from './scenario.ts';
import { parseThreshold, type Threshold } from './thresholds.ts';

/** One phase as written: on the command line (strings) or in a scenario file (numbers or strings). */
export interface RawPhase {
  users?: string | number;
  connectRamp?: string | number;
  arrivalRate?: string | number;
  duration?: string | number;
  turns?: string | number;
  thinkTime?: string | number;
  soak?: string | number;
}

/** How each field of a phase is spelled where it came from (`--connect-ramp`, `phases[1].connectRamp`). */
export type PhaseNames = (field: keyof RawPhase) => string;

/** What a phase takes when it does not say; a fixed population of 100 when it says neither kind. */
export const PHASE_DEFAULTS = { users: 100, connectRamp: '5s', turns: 1, thinkTime: 0 } as const;

const DURATION = 'a duration (seconds, or 500ms, 30s, 10m, 1h)';

/**
 * Parses a phase and lists every problem at once, each in the spelling of where it came from: a value
 * that is not one, and a combination that means nothing (an arrival rate with a ramp, a soak of users
 * arriving at a rate, a think time with nothing after it).
 */
export function parsePhase(raw: RawPhase, name: PhaseNames): { phase?: LoadPhase; problems: string[] } {
  const problems: string[] = [];
  const given = (field: keyof RawPhase) => raw[field] !== undefined;
  const whole = (field: 'users' | 'turns', fallback: number) => {
    const value = Number(raw[field] ?? fallback);
    if (!Number.isInteger(value) || value < 1) problems.push(`${name(field)} ${raw[field]} is not a whole number ≥ 1`);
    return value;
  };
  const duration = (field: 'connectRamp' | 'duration' | 'thinkTime' | 'soak', fallback: string | number, least: 'zero' | 'positive') => {
    const value = parseDuration(raw[field] ?? fallback);
    if (value === undefined || value < 0 || (least === 'positive' && value === 0))
      problems.push(`${name(field)} ${raw[field]} is not ${DURATION}${least === 'positive' ? ' > 0' : ''}`);
    return value ?? 0;
  };

  const turns = whole('turns', PHASE_DEFAULTS.turns);
  const thinkTimeMs = duration('thinkTime', PHASE_DEFAULTS.thinkTime, 'zero');
  if (given('users') && given('arrivalRate')) {
    problems.push(`${name('users')} and ${name('arrivalRate')} are two kinds of phase, a fixed population or users arriving at a rate: give one`);
    return { problems };
  }

  if (given('arrivalRate')) {
    const ratePerSecond = parseRate(raw.arrivalRate!);
    if (ratePerSecond === undefined || ratePerSecond <= 0)
      problems.push(`${name('arrivalRate')} ${raw.arrivalRate} is not a rate > 0 (users per second: 20 or 20/s; per minute: 600/m)`);
    if (!given('duration')) problems.push(`${name('arrivalRate')} needs ${name('duration')}: how long users keep arriving`);
    const durationMs = given('duration') ? duration('duration', 0, 'positive') : 0;
    if (given('connectRamp'))
      problems.push(`${name('connectRamp')} ramps a fixed population (${name('users')}); an arrival-rate phase spreads its users by its rate`);
    if (given('soak'))
      problems.push(`${name('soak')} keeps a fixed population (${name('users')}) cycling; an arrival-rate phase lasts its ${name('duration')}`);
    if (thinkTimeMs > 0 && turns === 1) problems.push(`${name('thinkTime')} is the pause between turns: it needs ${name('turns')} ≥ 2`);
    const phase: LoadPhase = { kind: 'arrival', ratePerSecond: ratePerSecond ?? 0, durationMs, turns, thinkTimeMs };
    if (problems.length === 0 && phaseUsers(phase) < 1)
      problems.push(`${name('arrivalRate')} ${raw.arrivalRate} for ${name('duration')} ${raw.duration} brings no user`);
    return problems.length > 0 ? { problems } : { phase, problems };
  }

  if (given('duration'))
    problems.push(
      `${name('duration')} is the length of an arrival-rate phase: give ${name('arrivalRate')} too, or ${name('soak')} to keep ${name('users')} cycling`,
    );
  const users = whole('users', PHASE_DEFAULTS.users);
  const connectRampMs = duration('connectRamp', PHASE_DEFAULTS.connectRamp, 'zero');
  const soakMs = given('soak') ? duration('soak', 0, 'positive') : undefined;
  if (soakMs !== undefined && soakMs > 0 && soakMs < connectRampMs) {
    problems.push(`${name('soak')} ${raw.soak} is shorter than ${name('connectRamp')} ${raw.connectRamp}: the last users would arrive after the soak ended`);
  }
  if (thinkTimeMs > 0 && turns === 1 && soakMs === undefined)
    problems.push(`${name('thinkTime')} is the pause after a turn: it needs ${name('turns')} ≥ 2 or ${name('soak')}`);
  return problems.length > 0 ? { problems } : { phase: { kind: 'users', users, connectRampMs, soakMs, turns, thinkTimeMs }, problems };
}

/**
 * The phases and the thresholds, with every problem of either; a phase with fewer users than there are
 * shards is one (a machine would have nobody to run).
 */
export function parseScenario(
  input: { phases: ReadonlyArray<{ raw: RawPhase; name: PhaseNames }>; thresholds: readonly string[] },
  shard: Shard,
): { scenario?: LoadScenario; problems: string[] } {
  const problems: string[] = [];
  const phases: LoadPhase[] = [];
  for (const { raw, name } of input.phases) {
    const parsed = parsePhase(raw, name);
    problems.push(...parsed.problems);
    if (parsed.phase && phaseUsers(parsed.phase) < shard.count) {
      problems.push(
        `${name(parsed.phase.kind === 'users' ? 'users' : 'arrivalRate')}: ${phaseUsers(parsed.phase)} user(s) for ${shard.count} shards: every shard needs a user`,
      );
    }
    if (parsed.phase) phases.push(parsed.phase);
  }
  const thresholds: Threshold[] = [];
  for (const expression of input.thresholds) {
    const { threshold, problem } = parseThreshold(expression);
    if (threshold) thresholds.push(threshold);
    else problems.push(problem!);
  }
  return problems.length > 0 ? { problems } : { scenario: { phases, thresholds }, problems };
}

const numberOrText = z.union([z.number(), z.string()]);
const scenarioFile = z.strictObject({
  phases: z
    .array(
      z.strictObject({
        users: numberOrText.optional(),
        connectRamp: numberOrText.optional(),
        arrivalRate: numberOrText.optional(),
        duration: numberOrText.optional(),
        turns: numberOrText.optional(),
        thinkTime: numberOrText.optional(),
        soak: numberOrText.optional(),
      }),
    )
    .min(1, 'needs at least one phase'),
  thresholds: z.array(z.string()).optional(),
});

/**
 * A scenario file: `{"phases": [{"users": 1000, "connectRamp": "20s", "turns": 3, "thinkTime": "1s"},
 * {"arrivalRate": "20/s", "duration": "1m"}], "thresholds": ["completion.p95<2000", "errors<0.5%"]}`.
 * Its phases come back with the names they have in the file, for parseScenario; what the file itself gets
 * wrong (not JSON, an unknown key, a phase that is not an object) is listed whole.
 */
export function readScenarioFile(file: string): { phases: Array<{ raw: RawPhase; name: PhaseNames }>; thresholds: string[]; problems: string[] } {
  const none = (problems: string[]) => ({ phases: [], thresholds: [], problems });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return none([`--scenario ${file} cannot be read as JSON (${reason})`]);
  }
  const parsed = scenarioFile.safeParse(json);
  if (!parsed.success) {
    return none(parsed.error.issues.map((issue) => `--scenario ${file}: ${issue.path.length > 0 ? `${formatPath(issue.path)}: ` : ''}${issue.message}`));
  }
  return {
    phases: parsed.data.phases.map((raw, index) => ({ raw, name: (field) => `${file}: phases[${index}].${field}` })),
    thresholds: parsed.data.thresholds ?? [],
    problems: [],
  };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`)).join('');
}
