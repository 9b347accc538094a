/** SQLSTATE classes of a statement refused for what one row holds: data exceptions (22) and integrity constraints (23). */
export const isRowError = (error: unknown) => /^2[23]/.test(String((error as { code?: unknown }).code));

/** At most this many calls go into one statement; more wait for the next one. */
const MAX_BATCH = 1000;

/**
 * Turns a statement over many items into a function of one item: the calls made while the event loop is
 * busy with other work are collected and run as one statement at the next turn of the loop. Under load a
 * thousand runs storing a message cost one round trip to Postgres instead of a thousand (each round trip is
 * a write through the container's port mapping, which profiling showed to be the service's largest cost);
 * a lone call waits no longer than one turn of the loop.
 *
 * When a statement fails on one item's data (`isItemError`), the items are retried one by one, so one
 * user's bad message fails that user's run only; any other failure (a timeout, a lost connection) fails
 * every call of the batch with it.
 */
export function batched<Item, Result>(
  runBatch: (items: Item[]) => Promise<Result[]>,
  isItemError: (error: unknown) => boolean,
): (item: Item) => Promise<Result> {
  let pending: Array<{ item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];

  async function flush(calls: typeof pending): Promise<void> {
    try {
      const results = await runBatch(calls.map(({ item }) => item));
      calls.forEach((call, index) => call.resolve(results[index]!));
    } catch (error) {
      if (calls.length === 1 || !isItemError(error)) return calls.forEach((call) => call.reject(error));
      await Promise.all(calls.map((call) => flush([call])));
    }
  }

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      if (pending.length === 0) {
        setImmediate(() => {
          const calls = pending;
          pending = [];
          for (let start = 0; start < calls.length; start += MAX_BATCH) void flush(calls.slice(start, start + MAX_BATCH));
        });
      }
      pending.push({ item, resolve, reject });
    });
}
