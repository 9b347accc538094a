import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeExchanges } from '../../support/evidence/http-exchanges.ts';
import { redactor } from '../../support/evidence/redaction/redact.ts';
import type { Discovery } from './discovery.ts';

/**
 * Writes what discover saw (the HTTP exchanges, every probe's frames, the run, the UI's elements) to
 * `<REPORTS_DIR>/discover/<profile>.json`, through the project's redactor: tokens, tickets, the password
 * and the keys it was given never reach the file.
 */
export function writeTranscript(name: string, baseUrl: string, discovery: Discovery, reportsDir = process.env.REPORTS_DIR || 'reports'): string {
  const directory = join(reportsDir, 'discover');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${name}.json`);
  const transcript = {
    profile: name,
    target: baseUrl,
    writtenAt: new Date().toISOString(),
    observations: discovery.observations,
    findings: discovery.findings,
    http: takeExchanges(),
    ...discovery.evidence,
  };
  writeFileSync(file, `${JSON.stringify(redactor().redactValue(transcript), null, 2)}\n`);
  return file;
}
