import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The secret values this run handles (generated passwords, tickets, signing keys), so the redactor can
 * remove them where no pattern would recognise them: a random password typed into a form is just a
 * word. Each worker keeps its own in memory; all of them also append to one run-wide file, so the
 * post-run scrub in the main process knows every worker's secrets. The file lives in the OS temp dir
 * (mode 0600), never under reports/ or test-results/, and the scrub deletes it.
 */
const SECRETS_FILE_VARIABLE = 'GOLDEN_PATH_SECRETS_FILE';

/** Values shorter than this are left alone: redacting "test" everywhere would destroy the evidence. */
const MIN_SECRET_LENGTH = 6;

const known = new Set<string>();

/**
 * Chooses the run-wide secrets file, once, in the main process; workers inherit the variable. Called
 * from the config, which every worker evaluates again: it keeps the value it inherited.
 */
export function prepareSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  env[SECRETS_FILE_VARIABLE] ??= join(tmpdir(), `golden-path-secrets-${process.pid}-${Date.now()}`);
  return env[SECRETS_FILE_VARIABLE];
}

/** Settings that hold secrets; every process registers them when it loads the configuration. */
const SECRET_SETTINGS = ['TEST_USER_PASSWORD', 'TEST_USER2_PASSWORD', 'JWT_SECRET', 'BYPASS_KEY', 'GITHUB_TOKEN', 'GH_TOKEN'];

/**
 * Field and header names whose values are one user's or one session's secret (a `session_token` in a
 * handshake, an `X-Bypass-Key` header): a value found under one is registered even where no pattern would know it.
 */
export const SECRET_NAME = /token|secret|session|ticket|password|passwd|cookie|authorization|key|bypass/i;

export function registerConfiguredSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of SECRET_SETTINGS) registerSecret(env[name]);
}

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || known.has(value)) return;
  known.add(value);
  const file = process.env[SECRETS_FILE_VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify(value)}\n`, { mode: 0o600 });
}

/** This process's secrets plus every one registered in the run-wide file so far. */
export function knownSecrets(): string[] {
  const file = process.env[SECRETS_FILE_VARIABLE];
  const fromFile =
    file && existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as string)
      : [];
  return [...new Set([...known, ...fromFile])];
}

export function deleteSecretsFile(): void {
  const file = process.env[SECRETS_FILE_VARIABLE];
  if (file) rmSync(file, { force: true });
}
