import { Redactor } from './redact.ts';
import { scrubRunOutput } from './scrub.ts';
import { deleteSecretsFile } from './secrets.ts';
import { evidenceLocations } from '../../config/settings/evidence.ts';

/**
 * The global teardown of a run whose reporters were replaced on the command line (`--reporter=dot`):
 * the evidence reporter, which scrubs what the run wrote, is not there, so the traces and attachments
 * under test-results/ are scrubbed here, and the run's secrets file removed. Nothing else is written.
 */
export default function scrubWithoutReporters(): void {
  const { testResultsDir } = evidenceLocations();
  scrubRunOutput([testResultsDir], new Redactor());
  deleteSecretsFile();
  console.error(
    `--reporter replaced the evidence reporters: no verdict, Allure results or JSON report were written; ${testResultsDir}/ was scrubbed of secrets.`,
  );
}
