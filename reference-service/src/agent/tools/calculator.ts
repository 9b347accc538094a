import type { Tool } from '../tool.ts';
import { evaluateArithmetic } from './arithmetic.ts';

/** Runs of digits, operators, brackets and spaces that start and end with an operand. */
const CANDIDATE = /[\d(][\d\s.+\-*/()]*[\d)]/g;
const HAS_OPERATOR = /[\d)]\s*[-+*/]\s*[\d(]/;

export const calculator: Tool<{ expression: string }, { value: string }> = {
  name: 'calculator',

  plan(prompt) {
    const normalised = prompt.replace(/×/g, '*').replace(/÷/g, '/');
    const expression = normalised.match(CANDIDATE)?.find((candidate) => HAS_OPERATOR.test(candidate));
    return expression ? { expression: expression.replace(/\s+/g, ' ').trim() } : undefined;
  },

  execute: async ({ expression }) => ({ value: evaluateArithmetic(expression) }),

  describe: ({ expression }, { value }) => `${expression} = ${value}`,
};
