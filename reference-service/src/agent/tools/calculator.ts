import { all, create } from 'mathjs';
import type { Tool } from '../tool.ts';

// BigNumbers keep integer arithmetic exact however large the operands the harness picks.
const math = create(all!, { number: 'BigNumber', precision: 64 });

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

  async execute({ expression }) {
    // The planner lets only digits, operators and brackets through, so nothing but arithmetic reaches mathjs.
    const result = math.evaluate(expression);
    if (!math.isBigNumber(result) || !result.isFinite()) throw new Error(`${expression} has no finite value`);
    return { value: math.format(result, { notation: 'fixed' }) };
  },

  describe: ({ expression }, { value }) => `${expression} = ${value}`,
};
