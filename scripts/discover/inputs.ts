import { SettingsError, loadSettings, type Account } from '../../support/config/settings.ts';

/** What discover is told rather than finds: the address, the accounts, and the keys only the team has. */
const GIVEN_SETTINGS = [
  'BASE_URL',
  'WS_URL',
  'TEST_USER_EMAIL',
  'TEST_USER_PASSWORD',
  'TEST_USER2_EMAIL',
  'TEST_USER2_PASSWORD',
  'JWT_SECRET',
  'BYPASS_KEY',
  'BYPASS_LOGIN_PATH',
  'BYPASS_HEADER',
  'GOLDEN_PROMPT',
] as const;

/** Given settings that never go into a profile: the user exports them for the smoke run. */
export const SECRET_SETTINGS = ['TEST_USER_PASSWORD', 'TEST_USER2_PASSWORD', 'JWT_SECRET', 'BYPASS_KEY'] as const;

export interface DiscoverInputs {
  baseUrl: string;
  /** WS_URL when given: the first WebSocket address tried. */
  wsUrl: string | undefined;
  user: Account;
  secondUser: Account | undefined;
  jwtSecret: string | undefined;
  bypass: { path: string; header: string; key: string | undefined };
  goldenPrompt: string | undefined;
  /** The secret settings that were given, by name, for the profile to say which to export. */
  givenSecrets: Array<(typeof SECRET_SETTINGS)[number]>;
}

/**
 * The given settings, validated by the suite's own rules (so a malformed one reads as it would for
 * `npm run smoke`), with every problem listed at once. Only the given settings are read: anything else
 * in the environment is what discover is about to find out, and an old value must not steer it.
 */
export function readInputs(env: NodeJS.ProcessEnv): { inputs?: DiscoverInputs; problems: string[] } {
  const given = Object.fromEntries(GIVEN_SETTINGS.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]));
  try {
    const settings = loadSettings({ TARGET: 'external', ...given });
    return {
      problems: [],
      inputs: {
        baseUrl: settings.baseUrl!.replace(/\/$/, ''),
        wsUrl: given.WS_URL,
        user: settings.user!,
        secondUser: settings.secondUser,
        jwtSecret: settings.jwtSecret,
        bypass: settings.login.bypass,
        goldenPrompt: settings.goldenPrompt,
        givenSecrets: SECRET_SETTINGS.filter((name) => given[name] !== undefined),
      },
    };
  } catch (error) {
    if (error instanceof SettingsError) return { problems: error.problems };
    throw error;
  }
}
