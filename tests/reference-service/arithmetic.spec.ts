import { test, expect } from '@playwright/test';
import { evaluateArithmetic } from '../../reference-service/src/agent/tools/arithmetic.ts';
import { calculator } from '../../reference-service/src/agent/tools/calculator.ts';

test.describe('calculator arithmetic', () => {
  const VALUES: Array<[string, string]> = [
    ['48213 * 7', '337491'],
    ['2 + 3 * 4', '14'],
    ['(2 + 3) * 4', '20'],
    ['10 - 4 - 3', '3'],
    ['100 / 10 / 5', '2'],
    ['10 / 4', '2.5'],
    ['-5 + 2', '-3'],
    ['2 * -3', '-6'],
    ['0.1 + 0.2', '0.3'],
    ['99999999999999999999 * 99999999999999999999', '9999999999999999999800000000000000000001'],
    ['1 / 3', '0.3333333333333333333333333333333333333333333333333333333333333333'],
  ];
  for (const [expression, value] of VALUES) {
    test(`${expression} = ${value}`, () => {
      expect(evaluateArithmetic(expression)).toBe(value);
    });
  }

  const ERRORS: Array<[string, RegExp]> = [
    ['1 / 0', /division by zero/],
    ['1 +', /cannot read "1 \+" as arithmetic/],
    ['(1 + 2', /unbalanced brackets/],
    ['3 3', /cannot read "3 3"/],
    ['2 ^ 3', /cannot read "2 \^ 3"/],
  ];
  for (const [expression, message] of ERRORS) {
    test(`${expression} is refused`, () => {
      expect(() => evaluateArithmetic(expression)).toThrow(message);
    });
  }
});

test.describe('calculator planning', () => {
  const PLANS: Array<[string, string | undefined]> = [
    ['What is 48213 * 7?', '48213 * 7'],
    ['Compute (12 + 30) / 2 please', '(12 + 30) / 2'],
    ['what is 6×7', '6*7'],
    ['I have 3 apples', undefined],
    ['Hello there', undefined],
  ];
  for (const [prompt, expression] of PLANS) {
    test(`"${prompt}" plans ${expression ?? 'no calculation'}`, () => {
      expect(calculator.plan(prompt)).toEqual(expression === undefined ? undefined : { expression });
    });
  }
});
