import type { Tool } from '../tool.ts';
import { evaluateArithmetic, evaluateTree, parseArithmetic, type ArithmeticOperation } from './arithmetic.ts';

/** Runs of digits, operators, brackets and spaces that start and end with an operand. */
const CANDIDATE = /[\d(][\d\s.+\-*/()]*[\d)]/g;
const HAS_OPERATOR = /[\d)]\s*[-+*/]\s*[\d(]/;

/** The arithmetic a prompt asks for, with × and ÷ written as * and /, or undefined. */
function expressionIn(prompt: string): string | undefined {
  const normalised = prompt.replace(/×/g, '*').replace(/÷/g, '/');
  return normalised
    .match(CANDIDATE)
    ?.find((candidate) => HAS_OPERATOR.test(candidate))
    ?.replace(/\s+/g, ' ')
    .trim();
}

/** `337491` as prose writes it: `337,491`. */
function withThousandsSeparators(value: string): string {
  return value.replace(/^(-?)(\d+)/, (_, sign: string, digits: string) => sign + digits.replace(/\B(?=(\d{3})+$)/g, ','));
}

/** The contract's calculator: called with the expression as the prompt wrote it, and answering `48213 * 7 = 337491`. */
export const calculator: Tool<{ expression: string }, { value: string }> = {
  name: 'calculator',

  plan(prompt) {
    const expression = expressionIn(prompt);
    return expression ? { expression } : undefined;
  },

  execute: async ({ expression }) => ({ value: evaluateArithmetic(expression) }),

  describe: ({ expression }, { value }) => `${expression} = ${value}`,
};

/**
 * The calculator of a service that does not echo prompts (ECHO_PROMPT=false): called with the expression
 * as a tree of operands and operators (`{"operands":[48213,7],"operator":"*"}`), answering in prose
 * (`The result is 337,491.`), so no frame repeats what the user wrote. Arithmetic it cannot read is not
 * planned at all, as a model does not call a tool with arguments it could not form.
 */
export const calculatorWithoutEcho: Tool<ArithmeticOperation, { value: string }> = {
  name: 'calculator',

  plan(prompt) {
    const expression = expressionIn(prompt);
    if (!expression) return undefined;
    try {
      const tree = parseArithmetic(expression);
      return typeof tree === 'object' ? tree : undefined;
    } catch {
      return undefined;
    }
  },

  execute: async (operation) => ({ value: evaluateTree(operation) }),

  describe: (_operation, { value }) => `The result is ${withThousandsSeparators(value)}.`,
};
