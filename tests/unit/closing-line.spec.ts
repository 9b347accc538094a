import { test, expect } from '@playwright/test';
import { closingLine } from '../../scripts/ci/closing-line.ts';

const stats = (overrides: Partial<{ expected: number; unexpected: number; flaky: number; skipped: number }>) => ({
  expected: 0,
  unexpected: 0,
  flaky: 0,
  skipped: 0,
  ...overrides,
});

test('a clean run: every test passed, the run did not fail', () => {
  expect(closingLine(stats({ expected: 482 }), true, 0)).toEqual({ line: '482 passed, 0 failed', remarks: [], failed: false });
});

test('a flaky test in a run that fails on flaky tests is counted as failed, so the line agrees with the exit code', () => {
  const outcome = closingLine(stats({ expected: 481, flaky: 1 }), true, 0);
  expect(outcome.line).toBe('481 passed, 1 failed');
  expect(outcome.failed).toBe(true);
  expect(outcome.remarks).toEqual(['1 test(s) passed only on a retry (flaky); counted as failed, as this run fails on flaky tests']);
});

test('a flaky test in a run that tolerates them (monitoring staging) is counted as passed, and said', () => {
  const outcome = closingLine(stats({ expected: 481, flaky: 1 }), false, 0);
  expect(outcome.line).toBe('482 passed, 0 failed');
  expect(outcome.failed).toBe(false);
  expect(outcome.remarks).toEqual(['1 test(s) passed only on a retry (flaky); counted as passed']);
});

test('failures, errors outside any test and skipped tests are all in the line', () => {
  const outcome = closingLine(stats({ expected: 10, unexpected: 2, skipped: 3 }), true, 1);
  expect(outcome.line).toBe('10 passed, 3 failed, 3 skipped');
  expect(outcome.failed).toBe(true);
  expect(outcome.remarks).toEqual(['1 error(s) outside any test (e.g. preflight); see the output above']);
});
