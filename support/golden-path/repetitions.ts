/**
 * How many times a golden-path spec defines its test: GOLDEN_PATH_REPETITIONS, default 1. The stability
 * script sets it instead of using --repeat-each, because Playwright gives each --repeat-each index its
 * own workers, and so its own local stack (containers and service, ~5 s) for every single repetition.
 */
export function repetitions(env: NodeJS.ProcessEnv = process.env): Array<{ suffix: string }> {
  const count = Number(env.GOLDEN_PATH_REPETITIONS || 1);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`GOLDEN_PATH_REPETITIONS is ${env.GOLDEN_PATH_REPETITIONS}: set it to a whole number ≥ 1, or unset it`);
  return Array.from({ length: count }, (_, index) => ({ suffix: count === 1 ? '' : ` (repetition ${index + 1} of ${count})` }));
}
