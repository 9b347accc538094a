import { parseArgs } from 'node:util';
import { readScenarioFile, parseScenario, type PhaseNames, type RawPhase } from '../../support/load/scenario-parser.ts';
import { WHOLE_RUN, type LoadScenario, type Shard } from '../../support/load/scenario.ts';
import { errorRateThreshold, parseThreshold, type Threshold } from '../../support/load/thresholds.ts';
import { parseOptions } from '../shared/options.ts';

export const USAGE = `usage: npm run load -- [phase] [--turns K] [--think-time T] [--threshold EXPR]… [--max-error-rate P] [--shard i/N] [--minted-users] [--start-at TIME]
       npm run load -- --scenario FILE [--threshold EXPR]… [--shard i/N] [--minted-users] [--start-at TIME]
       npm run load -- --merge FOLDER [--threshold EXPR]…
  phase, one of:
    --users N [--connect-ramp S] [--soak D]   N users arriving over S (default 100 users over 5 s); each holds its
                                              socket until all have taken their turns, or with --soak keeps
                                              leaving and coming back for D. --ramp is another name for --connect-ramp.
    --arrival-rate R/s --duration D           a new user every 1/R s for D, each leaving after its turns
  --turns K (1), --think-time T (0): K turns per visit, a fresh nonce each, T between them
  --threshold: <figure><op><value>, op < <= > >=; figures login|connect|first_event|completion.p50|p90|p95|p99|max (ms),
    errors (2.5% or a count), runs/s, connects/s, events/s; e.g. 'completion.p95<2000' 'errors<0.5%'. Leaks always fail.
  --max-error-rate P: the same as --threshold 'errors<=P%' (the default, 1 %, when no errors threshold is given)
  --shard i/N: this machine's share of every phase; --merge adds up the shards' reports/load folders
  --minted-users: synthetic users with minted tokens (locally, the service provisions them: no seeding, no login)
  --start-at TIME: wait until this ISO time before the first phase (shards on several machines start together)
  durations: seconds, or 500ms, 30s, 10m, 1h`;

const PHASE_OPTIONS = {
  users: 'users',
  'connect-ramp': 'connectRamp',
  ramp: 'connectRamp',
  'arrival-rate': 'arrivalRate',
  duration: 'duration',
  turns: 'turns',
  'think-time': 'thinkTime',
  soak: 'soak',
} as const satisfies Record<string, keyof RawPhase>;

export type LoadCommand =
  { kind: 'run'; scenario: LoadScenario; shard: Shard; mintedUsers: boolean; startAt?: Date } | { kind: 'merge'; folder: string; thresholds: Threshold[] };

/**
 * `npm run load`'s command line: a run (the phase on the command line, or a scenario file), or a merge
 * of shards that ran. Every problem is listed at once: an option that is not one, a value that is not
 * one, a combination that means nothing, a threshold that is not one.
 */
export function parseLoadCommand(args: string[] = process.argv.slice(2)): { command?: LoadCommand; problems: string[] } {
  const { values, problems } = parseOptions(
    USAGE,
    {
      ...Object.fromEntries(Object.keys(PHASE_OPTIONS).map((name) => [name, { type: 'string' } as const])),
      threshold: { type: 'string' },
      'max-error-rate': { type: 'string' },
      scenario: { type: 'string' },
      shard: { type: 'string' },
      merge: { type: 'string' },
      'minted-users': { type: 'boolean' },
      'start-at': { type: 'string' },
    } as const,
    args,
  );
  const option = (name: string) => (values as Record<string, string | boolean | undefined>)[name];
  const phaseFlags = Object.keys(PHASE_OPTIONS).filter((name) => option(name) !== undefined);
  const thresholds = everyThreshold(args);
  const maxErrorRate = values['max-error-rate'];
  if (maxErrorRate !== undefined && !(Number(maxErrorRate) >= 0 && Number(maxErrorRate) <= 100))
    problems.push(`--max-error-rate ${maxErrorRate} is not a percentage`);

  if (values.merge !== undefined) {
    const runOnly = [
      ...phaseFlags,
      ...['scenario', 'shard', 'minted-users', 'start-at'].filter((name) => option(name) !== undefined && option(name) !== false),
    ];
    problems.push(...runOnly.map((name) => `--merge adds up shards that already ran: --${name} belongs to the runs`));
    const parsed = thresholds.map(parseThreshold);
    problems.push(...parsed.flatMap(({ problem }) => problem ?? []));
    if (maxErrorRate !== undefined) parsed.push({ threshold: errorRateThreshold(Number(maxErrorRate)) });
    return problems.length > 0
      ? { problems }
      : { command: { kind: 'merge', folder: values.merge, thresholds: parsed.map(({ threshold }) => threshold!) }, problems };
  }

  const shard = values.shard === undefined ? WHOLE_RUN : parseShard(values.shard);
  if (typeof shard === 'string') problems.push(shard);
  const startAt = values['start-at'] === undefined ? undefined : new Date(values['start-at']);
  if (startAt && Number.isNaN(startAt.getTime())) problems.push(`--start-at ${values['start-at']} is not a time (ISO 8601, e.g. 2026-11-29T18:00:00Z)`);
  if (option('ramp') !== undefined && option('connect-ramp') !== undefined) problems.push('--ramp is another name for --connect-ramp: give one');

  let phases: Array<{ raw: RawPhase; name: PhaseNames }>;
  let fileThresholds: string[] = [];
  if (values.scenario !== undefined) {
    problems.push(...phaseFlags.map((name) => `--${name} is a phase option, and --scenario ${values.scenario} holds the phases: put it in the file`));
    const file = readScenarioFile(values.scenario);
    problems.push(...file.problems);
    phases = file.phases;
    fileThresholds = file.thresholds;
  } else {
    const raw: RawPhase = {};
    const spelled: Partial<Record<keyof RawPhase, string>> = {};
    for (const name of phaseFlags) {
      raw[PHASE_OPTIONS[name as keyof typeof PHASE_OPTIONS]] = option(name) as string;
      spelled[PHASE_OPTIONS[name as keyof typeof PHASE_OPTIONS]] = `--${name}`;
    }
    phases = [
      { raw, name: (field) => spelled[field] ?? `--${Object.keys(PHASE_OPTIONS).find((name) => PHASE_OPTIONS[name as keyof typeof PHASE_OPTIONS] === field)}` },
    ];
  }

  const expressions = [...fileThresholds, ...thresholds];
  const parsed = parseScenario({ phases, thresholds: expressions }, typeof shard === 'string' ? WHOLE_RUN : shard);
  problems.push(...parsed.problems);
  if (problems.length > 0 || !parsed.scenario || typeof shard === 'string') return { problems };
  const { scenario } = parsed;
  if (maxErrorRate !== undefined) scenario.thresholds.push(errorRateThreshold(Number(maxErrorRate)));
  if (!scenario.thresholds.some(({ figure }) => figure.kind === 'errors')) scenario.thresholds.push(errorRateThreshold(DEFAULT_MAX_ERROR_RATE));
  return { command: { kind: 'run', scenario, shard, mintedUsers: values['minted-users'], ...(startAt ? { startAt } : {}) }, problems };
}

/** Percent of the attempts that may fail when no errors threshold says otherwise: the load command's default since it first ran. */
const DEFAULT_MAX_ERROR_RATE = 1;

/** `i/N`, i from 1, as Playwright writes a shard. */
function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) return `--shard ${text} is not i/N with 1 ≤ i ≤ N (e.g. 2/4: the second of four machines)`;
  return { index: index - 1, count };
}

/**
 * Every --threshold given: the shared parser keeps only the last of an option given several times, and a
 * run is judged by all of its thresholds.
 */
function everyThreshold(args: string[]): string[] {
  const { values } = parseArgs({ args, options: { threshold: { type: 'string', multiple: true } }, strict: false, allowPositionals: true });
  return (values.threshold ?? []).filter((value): value is string => typeof value === 'string' && value !== '' && !value.startsWith('--'));
}
