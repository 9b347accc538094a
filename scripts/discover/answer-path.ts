/** Keys that name an answer's text, in the order a path through them is preferred. */
const ANSWER_KEYS = ['final_response', 'response', 'answer', 'text', 'content', 'output', 'message', 'result'];

/**
 * Every dotted path (ANSWER_PATH's form, array indices included) in the completing event that holds text
 * carrying this run's answer, the likeliest first: the shallowest, then the one through the keys answers
 * are kept under. Text that repeats the whole prompt is an echo, not an answer (a code prompt carries its
 * nonce too), and so are the run's ids and type.
 */
export function answerPaths(completion: Record<string, unknown>, answer: RegExp, prompt: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'string') {
      if (answer.test(value) && !value.includes(prompt)) found.push(path.join('.'));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) visit(inner, [...path, key]);
    }
  };
  for (const [key, value] of Object.entries(completion)) if (!['type', 'run_id', 'thread_id', 'user_id', 'request_id'].includes(key)) visit(value, [key]);
  return found.sort((a, b) => depth(a) - depth(b) || preference(a) - preference(b));
}

const depth = (path: string) => path.split('.').length;

function preference(path: string): number {
  const ranks = path
    .split('.')
    .map((key) => ANSWER_KEYS.indexOf(key))
    .filter((rank) => rank >= 0);
  return ranks.length > 0 ? Math.min(...ranks) : ANSWER_KEYS.length;
}
