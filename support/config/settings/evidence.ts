import { z } from 'zod';
import type { EvidenceSettings } from './model.ts';
import { setting } from './schemas.ts';

const TRACES = ['off', 'on', 'retain-on-failure'] as const;

/** Where a run writes its evidence, what it keeps of each test, and where the published report will be. */
export const EVIDENCE_SETTINGS = {
  TRACE: setting({
    at: 'evidence.trace',
    schema: z.enum(TRACES, `must be one of ${TRACES.join(', ')}`).default('retain-on-failure'),
    fix: 'set TRACE to off, on or retain-on-failure (kept traces are scrubbed of secrets after the run)',
  }),
  REPORTS_DIR: setting({ at: 'evidence.reportsDir', schema: z.string().min(1).default('reports') }),
  TEST_RESULTS_DIR: setting({ at: 'evidence.testResultsDir', schema: z.string().min(1).default('test-results') }),
  REPORT_URL: setting({
    at: 'evidence.reportUrl',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    fix: 'set REPORT_URL to where the published report will be, e.g. https://ci.example.com/run/42/allure, or unset it',
  }),
};

type EvidenceName = keyof typeof EVIDENCE_SETTINGS;

/**
 * Where this run's evidence goes, and what it traces (REPORTS_DIR, TEST_RESULTS_DIR, TRACE, REPORT_URL),
 * for the code that runs before or beside the settings fixture (the Playwright config, the commands):
 * each read by its row, its default where it is unset and also where it is malformed, which the
 * preflight reports as the config stage before anything is written.
 */
export function evidenceLocations(env: NodeJS.ProcessEnv = process.env): EvidenceSettings {
  const read = (name: EvidenceName): unknown => {
    const { schema } = EVIDENCE_SETTINGS[name];
    const given = schema.safeParse(env[name] || undefined);
    return given.success ? given.data : schema.parse(undefined);
  };
  return {
    reportsDir: read('REPORTS_DIR') as string,
    testResultsDir: read('TEST_RESULTS_DIR') as string,
    trace: read('TRACE') as EvidenceSettings['trace'],
    reportUrl: read('REPORT_URL') as string | undefined,
  };
}
