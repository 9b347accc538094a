import { test, expect } from '@playwright/test';
import { settleWindowMs } from '../../support/golden-path/run-observer.ts';

test("the settle window is ten times the longest gap between a run's frames", () => {
  expect(settleWindowMs([0, 2, 9, 11])).toBe(70);
});

test('it is at least 30 ms, however fast the relay, and at most 100 ms, however slow', () => {
  expect(settleWindowMs([0, 1, 2, 3])).toBe(30);
  expect(settleWindowMs([0])).toBe(30);
  expect(settleWindowMs([0, 400, 410])).toBe(100);
});
