import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';

/**
 * Loads the settings files of a run, first value winning: the shell's environment, then
 * `.env.<TARGET_PROFILE>`, then `.env`, then `.env.engine` (written by `npm run setup`).
 * A blank value counts as unset, as it does for the settings (an undefined CI secret arrives blank).
 * Returns the files read, and a problem when the chosen profile has no file.
 */
export function loadEnvFiles(env: NodeJS.ProcessEnv = process.env, directory = process.cwd()): { files: string[]; problem?: string } {
  const profile = env.TARGET_PROFILE;
  const candidates = [...(profile ? [`.env.${profile}`] : []), '.env', '.env.engine'];
  const files = candidates.filter((name) => existsSync(`${directory}/${name}`));
  for (const name of files) {
    for (const [key, value] of Object.entries(dotenv.parse(readFileSync(`${directory}/${name}`)))) {
      if (env[key] === undefined || env[key] === '') env[key] = value;
    }
  }
  const problem =
    profile && !files.includes(`.env.${profile}`)
      ? `TARGET_PROFILE is "${profile}" but there is no .env.${profile}: create it (see .env.example), or unset TARGET_PROFILE`
      : undefined;
  return { files, problem };
}
