/**
 * How the preflight and every command list what is wrong, all at once, each problem with its fix:
 * "N <heading>:" and then one "  - <problem>" line each, e.g.
 * `problemList('problem(s); nothing was started', problems)`.
 */
export function problemList(heading: string, problems: readonly string[]): string {
  return `${problems.length} ${heading}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`;
}
