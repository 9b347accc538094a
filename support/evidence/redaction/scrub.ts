import { Redactor, encodedForms } from './redact.ts';
import { visitTexts } from './evidence-files.ts';

/**
 * Redacts, in place, what a run wrote at these paths (folders or files): result files, attachments, the
 * HTML report's embedded data, traces inside their zips. Runs once after the run, when every worker's
 * secrets are known; returns how many files it changed.
 */
export function scrubRunOutput(paths: readonly string[], redactor: Redactor = new Redactor()): number {
  return paths.reduce((changed, path) => changed + visitTexts(path, (text) => redactor.redact(text), { skipApplicationCode: true }), 0);
}

export interface SecretSighting {
  secret: string;
  where: string;
}

/**
 * Where any of these secrets, or their URL-encoded or base64 forms, still appear under these folders,
 * application code included. Reads only.
 */
export function findSecrets(folders: readonly string[], secrets: readonly string[]): SecretSighting[] {
  const sightings: SecretSighting[] = [];
  const forms = secrets.map((secret) => ({ secret, forms: encodedForms(secret) }));
  for (const folder of folders) {
    visitTexts(
      folder,
      (text, where) => {
        for (const { secret, forms: encoded } of forms) {
          if (encoded.some((form) => text.includes(form))) sightings.push({ secret, where });
        }
        return text;
      },
      { skipApplicationCode: false },
    );
  }
  return sightings;
}
