// The import rules `npm run lint` enforces; docs/LAYOUT.md says the same, one line a folder.
// Kept to what a reader needs to find the ground and the top of each part: no circle anywhere, and imports
// pointing one way (specs and commands use the support code, never the other way round).

// support/load in three layers. Its types, plan and scenario are the ground and every file not named
// below belongs there, so that a new file has to be placed on purpose before it may import the runner.
const LOAD_RUNNER = '^support/load/(load-record|second-clock|user-run|scenario-runner|concurrent-runs)[.]ts$';
const LOAD_FIGURES = '^support/load/(timeline|shard-figures|summary|threshold-results|load-verdict|latency-page|report-files|load-reporter)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle leaves no file to read first: neither end can change without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'support-stays-below',
      comment: 'support/ is what specs, fixtures and commands are built on; it knows none of them.',
      severity: 'error',
      from: { path: '^support/' },
      to: { path: '^(scripts|fixtures|tests)/' },
    },
    {
      name: 'fixtures-below-specs',
      comment: 'Fixtures build on support/ for the specs; they import no spec and no command.',
      severity: 'error',
      from: { path: '^fixtures/' },
      to: { path: '^(scripts|tests)/' },
    },
    {
      name: 'scripts-not-specs',
      comment: "Commands run without Playwright's runner: they use support/, never a spec or a fixture.",
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^(fixtures|tests)/' },
    },
    {
      name: 'reference-service-stands-alone',
      comment: 'The bundled service is the system under test: it shares no code with the harness that judges it.',
      severity: 'error',
      from: { path: '^reference-service/' },
      to: { path: '^(support|scripts|fixtures|tests)/' },
    },
    {
      name: 'no-harness-in-reference-service',
      comment: 'Only specs may reach into the bundled service (to start it, or to test a part of it).',
      severity: 'error',
      from: { path: '^(support|scripts|fixtures)/' },
      to: { path: '^reference-service/' },
    },
    {
      name: 'load-ground-stays-ground',
      comment: "support/load's types and plan name what a run is asked and gives back; they run nothing and sum nothing.",
      severity: 'error',
      from: { path: '^support/load/', pathNot: [LOAD_RUNNER, LOAD_FIGURES] },
      to: { path: [LOAD_RUNNER, LOAD_FIGURES] },
    },
    {
      name: 'load-runner-below-figures',
      comment: 'The runner fills the record; the figures, thresholds and pages read it afterwards, from above.',
      severity: 'error',
      from: { path: LOAD_RUNNER },
      to: { path: LOAD_FIGURES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a circle through types alone still ties the files together.
    tsPreCompilationDeps: true,
  },
};
