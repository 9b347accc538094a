import type { SecondCounts } from '../../support/load/types.ts';

/** One second of a load run with nothing counted in it but `counts`. */
export function second(at: number, counts: Partial<SecondCounts> = {}): SecondCounts {
  return { at, phase: 0, active: 0, open: 0, logins: 0, connects: 0, runs: 0, events: 0, errors: 0, leaks: 0, ...counts };
}
