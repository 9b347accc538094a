import { existsSync } from 'node:fs';
import dotenv from 'dotenv';

/**
 * Loads the settings files of a run, first value winning: the shell's environment, then
 * `.env.<TARGET_PROFILE>`, then `.env`, then `.env.engine` (written by `npm run setup`).
 * Returns the files read, and a problem when the chosen profile has no file.
 */
export function loadEnvFiles(env: NodeJS.ProcessEnv = process.env, directory = process.cwd()): { files: string[]; problem?: string } {
  const profile = env.TARGET_PROFILE;
  const candidates = [...(profile ? [`.env.${profile}`] : []), '.env', '.env.engine'];
  const files = candidates.filter((name) => existsSync(`${directory}/${name}`));
  if (files.length > 0) dotenv.config({ path: files.map((name) => `${directory}/${name}`), processEnv: env, quiet: true });
  const problem =
    profile && !files.includes(`.env.${profile}`)
      ? `TARGET_PROFILE is "${profile}" but there is no .env.${profile}: create it (see .env.example), or unset TARGET_PROFILE`
      : undefined;
  return { files, problem };
}
