/** At most a fixed number of holders at once: `acquire` resolves, once a permit is free, with the function that gives it back. */
export interface Semaphore {
  acquire(): Promise<() => void>;
}

export function semaphore(permits: number): Semaphore {
  let free = permits;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire: () =>
      new Promise((resolve) => {
        if (free > 0) {
          free--;
          resolve(release);
        } else waiting.push(() => resolve(release));
      }),
  };
}
