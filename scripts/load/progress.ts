import type { LoadTotals, SecondCounts } from '../../support/load/types.ts';
import { describePhase, type LoadPhase } from '../../support/load/scenario.ts';

/**
 * Live progress on stderr, a line a second (a terminal and a CI log alike): the phase, how long the run
 * has gone, the users under way and the sockets open, what that second did, and the errors and leaks
 * so far. The table at the end goes to stdout.
 */
export function progressPrinter(phases: readonly LoadPhase[]): (second: SecondCounts, totals: Readonly<LoadTotals>) => void {
  const started = Date.now();
  return (second, totals) => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    const clock = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`;
    const phase = `phase ${second.phase + 1}/${phases.length} (${describePhase(phases[second.phase]!)})`;
    process.stderr.write(
      `load ${clock} ${phase}: active ${second.active}, open ${second.open}, connects/s ${second.connects}, runs/s ${second.runs}, errors ${totals.errors}, leaks ${totals.leaks}\n`,
    );
  };
}
