/** The fewest chunks an answer streams in: a stream of one is no stream. */
const MIN_CHUNKS = 3;

/**
 * The answer as a model streams it (STREAM_CHUNKS=true): a word at a time, each with the space after it,
 * so the chunks put back together are the answer exactly. An answer of fewer words is cut in three.
 */
export function answerChunks(text: string): string[] {
  const words = text.split(/(?<=\s)(?=\S)/);
  if (words.length >= MIN_CHUNKS) return words;
  const size = Math.ceil(text.length / MIN_CHUNKS);
  return Array.from({ length: MIN_CHUNKS }, (_, index) => text.slice(index * size, (index + 1) * size)).filter(Boolean);
}
