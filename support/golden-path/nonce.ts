import { randomInt, randomUUID } from 'node:crypto';

/**
 * A prompt whose right answer is chosen at random for this run, so a canned, cached or fallback answer
 * cannot pass. `needle` is a piece of text only this run's events can contain.
 */
export interface NoncePrompt {
  prompt: string;
  needle: string;
  expectedAnswer: string;
}

export function arithmeticPrompt(): NoncePrompt {
  const [a, b] = [randomInt(10_000, 100_000), randomInt(101, 1_000)];
  return { prompt: `What is ${a} * ${b}?`, needle: `${a} * ${b}`, expectedAnswer: String(a * b) };
}

/** A usage question tagged with a reference, for a user whose usage rows were seeded with `total`. */
export function usagePrompt(total: number): NoncePrompt {
  const reference = randomUUID().slice(0, 8);
  return { prompt: `What is my usage? (ref ${reference})`, needle: `ref ${reference}`, expectedAnswer: String(total) };
}

/** The number stands alone in the answer: not inside a longer number, nor followed by a decimal part. */
export function answerPattern(expectedAnswer: string): RegExp {
  return new RegExp(`(?<![\\d.])${expectedAnswer.replace('.', '\\.')}(?!\\.?\\d)`);
}
