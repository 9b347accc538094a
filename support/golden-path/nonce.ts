import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * A prompt whose right answer is chosen at random for this run, so a canned, cached or fallback answer
 * cannot pass. `needle` is a piece of text only this run's events can contain.
 */
export interface NoncePrompt {
  prompt: string;
  needle: string;
  expectedAnswer: string;
  /** What an answer must match to carry this run's nonce. */
  answer: RegExp;
}

/** The golden prompt: GOLDEN_PROMPT with a fresh code for {{nonce}} when it is set, else the arithmetic one. */
export function goldenPrompt(template: string | undefined): NoncePrompt {
  return template === undefined ? arithmeticPrompt() : codePrompt(template);
}

export function arithmeticPrompt(): NoncePrompt {
  const [a, b] = [randomInt(10_000, 100_000), randomInt(101, 1_000)];
  const expectedAnswer = String(a * b);
  return { prompt: `What is ${a} * ${b}?`, needle: `${a} * ${b}`, expectedAnswer, answer: answerPattern(expectedAnswer) };
}

/** For agents that do not do arithmetic: the prompt asks for a code made for this run, and the answer must repeat it. */
export function codePrompt(template: string): NoncePrompt {
  const code = `GP-${randomBytes(5).toString('hex').toUpperCase()}`;
  return { prompt: template.replaceAll('{{nonce}}', code), needle: code, expectedAnswer: code, answer: new RegExp(`(?<![\\w-])${code}(?![\\w-])`) };
}

/** A usage question tagged with a reference, for a user whose usage rows were seeded with `total`. */
export function usagePrompt(total: number): NoncePrompt {
  const reference = randomUUID().slice(0, 8);
  const expectedAnswer = String(total);
  return { prompt: `What is my usage? (ref ${reference})`, needle: `ref ${reference}`, expectedAnswer, answer: answerPattern(expectedAnswer) };
}

/** Thousands separators a model writes: comma, no-break, thin and narrow no-break spaces, a space, apostrophes. */
const THOUSANDS_SEPARATORS = [',', '\u00a0', '\u2009', '\u202f', ' ', "'", '\u2019'];
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The number stands alone in the answer, written plainly or with one kind of thousands separator
 * (`337491`, `**337,491**`, `337 491.`): not inside a longer number, nor followed by a decimal part.
 */
export function answerPattern(expectedAnswer: string): RegExp {
  const [whole = '', decimals] = expectedAnswer.split('.');
  const groups = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '|').split('|');
  const fraction = decimals === undefined ? '' : `\\.${decimals}`;
  const forms = [whole, ...(groups.length > 1 ? THOUSANDS_SEPARATORS.map((separator) => groups.join(escapeRegExp(separator))) : [])];
  const separators = escapeRegExp(THOUSANDS_SEPARATORS.join(''));
  return new RegExp(`(?<!\\d[${separators}]?|\\.)(?:${forms.join('|')})${fraction}(?![.,]?\\d)`);
}
