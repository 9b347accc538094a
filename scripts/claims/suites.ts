// Which tests of the e2e project measure each stage, so a claim the run did not measure can name the
// command that would, and `npm run claims -- --run` can run just those. Playwright matches --grep against
// a test's file path (relative to tests/), its titles and its tags.
import { STAGES, type Stage } from '../../support/verdict/stages.ts';

const SUITES: Record<Stage, readonly string[]> = {
  // Every test passes the preflight; the golden path is the shortest run that does.
  config: ['@golden-path'],
  // The readiness tests, and the preflight's /health check before any test.
  infrastructure: ['health/'],
  auth: ['@golden-path', 'auth/'],
  websocket: ['@golden-path'],
  'agent-events': ['@golden-path'],
  'ai-response': ['@golden-path'],
  ui: ['@golden-path'],
  // The usage report (tagged @golden-path) stores and reads back the answer.
  persistence: ['@golden-path'],
  isolation: ['isolation/'],
  security: ['auth/'],
  latency: ['@golden-path'],
};

/** The --grep that selects the tests measuring these stages. */
export function grepFor(stages: readonly Stage[]): string {
  const wanted = new Set(stages);
  return [...new Set(STAGES.filter((stage) => wanted.has(stage)).flatMap((stage) => SUITES[stage]))].join('|');
}

/** The Playwright arguments that run them against the configured target. */
export function measuringArgs(stages: readonly Stage[]): string[] {
  return ['test', '--project=e2e', '--grep', grepFor(stages)];
}

/** The same, as a reader types it. */
export function measuringCommand(stages: readonly Stage[]): string {
  return `npx playwright test --project=e2e --grep "${grepFor(stages)}"`;
}
