import { test, expect } from '@playwright/test';
import { parseLoadPlan, sliceRange } from '../../support/load/plan.ts';

const ENV_NAMES = { users: 'LOAD_USERS', rampSeconds: 'LOAD_RAMP_SECONDS', maxErrorRate: 'LOAD_MAX_ERROR_RATE', slices: 'LOAD_SLICES' };

test('a plan takes defaults for what is not given', () => {
  expect(parseLoadPlan({ users: '1000' }, ENV_NAMES)).toEqual({ plan: { users: 1000, rampSeconds: 5, maxErrorRate: 1, slices: 1 }, problems: [] });
});

test('every bad field is named at once, in the spelling of where it came from', () => {
  const { plan, problems } = parseLoadPlan({ users: '0', rampSeconds: 'soon', maxErrorRate: '120', slices: '1.5' }, ENV_NAMES);
  expect(plan).toBeUndefined();
  expect(problems).toEqual([
    'LOAD_USERS 0 is not a whole number ≥ 1',
    'LOAD_RAMP_SECONDS soon is not a number of seconds ≥ 0',
    'LOAD_MAX_ERROR_RATE 120 is not a percentage',
    'LOAD_SLICES 1.5 is not a whole number ≥ 1',
  ]);
  expect(parseLoadPlan({ users: '3', slices: '4' }, ENV_NAMES).problems).toEqual(['LOAD_SLICES 4 is more than LOAD_USERS 3: every slice needs a user']);
});

test('slices are contiguous, disjoint, and together every user', () => {
  for (const [users, slices] of [
    [1000, 4],
    [10, 3],
    [7, 7],
  ] as const) {
    const ranges = Array.from({ length: slices }, (_, index) => sliceRange(users, slices, index));
    expect(ranges[0]!.start).toBe(0);
    ranges.slice(1).forEach((range, index) => expect(range.start).toBe(ranges[index]!.start + ranges[index]!.count));
    expect(ranges.reduce((sum, range) => sum + range.count, 0)).toBe(users);
    expect(Math.max(...ranges.map((range) => range.count)) - Math.min(...ranges.map((range) => range.count))).toBeLessThanOrEqual(1);
  }
});
