/** What a load run is asked to do, from the CLI's flags or the load project's LOAD_* settings. */
export interface LoadPlan {
  users: number;
  rampSeconds: number;
  /** Percent of the users that may fail before the run fails. */
  maxErrorRate: number;
  /** How many parts the users are split into, one per machine of a distributed run. */
  slices: number;
}

export interface RawLoadPlan {
  users?: string;
  rampSeconds?: string;
  maxErrorRate?: string;
  slices?: string;
}

export const LOAD_PLAN_DEFAULTS = { users: '100', rampSeconds: '5', maxErrorRate: '1', slices: '1' } as const;

/** Parses every field, and lists every problem at once; `names` says how each field is spelled where it came from. */
export function parseLoadPlan(raw: RawLoadPlan, names: Record<keyof RawLoadPlan, string>): { plan?: LoadPlan; problems: string[] } {
  const value = (key: keyof RawLoadPlan) => raw[key] ?? LOAD_PLAN_DEFAULTS[key];
  const plan: LoadPlan = {
    users: Number(value('users')),
    rampSeconds: Number(value('rampSeconds')),
    maxErrorRate: Number(value('maxErrorRate')),
    slices: Number(value('slices')),
  };
  const problems = [
    ...(Number.isInteger(plan.users) && plan.users >= 1 ? [] : [`${names.users} ${value('users')} is not a whole number ≥ 1`]),
    ...(Number.isFinite(plan.rampSeconds) && plan.rampSeconds >= 0 ? [] : [`${names.rampSeconds} ${value('rampSeconds')} is not a number of seconds ≥ 0`]),
    ...(Number.isFinite(plan.maxErrorRate) && plan.maxErrorRate >= 0 && plan.maxErrorRate <= 100
      ? []
      : [`${names.maxErrorRate} ${value('maxErrorRate')} is not a percentage`]),
    ...(Number.isInteger(plan.slices) && plan.slices >= 1 ? [] : [`${names.slices} ${value('slices')} is not a whole number ≥ 1`]),
  ];
  if (problems.length === 0 && plan.slices > plan.users)
    problems.push(`${names.slices} ${plan.slices} is more than ${names.users} ${plan.users}: every slice needs a user`);
  return problems.length > 0 ? { problems } : { plan, problems };
}

/** The users of slice `index` (from 0) of `slices`: contiguous, disjoint, together all of them. */
export function sliceRange(users: number, slices: number, index: number): { start: number; count: number } {
  const start = Math.floor((users * index) / slices);
  return { start, count: Math.floor((users * (index + 1)) / slices) - start };
}
