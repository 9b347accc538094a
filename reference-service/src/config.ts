import { z } from 'zod';
import { StartupError } from './startup-error.ts';
import { parseFaults, type Faults } from './faults.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit key)'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
  TICKET_TTL_SECONDS: z.coerce.number().int().positive().default(30),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
  TEST_MODE: booleanFlag,
  FAULTS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  SERVICE_COMMIT: z.string().optional(),
});

export type Settings = Omit<z.infer<typeof settingsSchema>, 'FAULTS'> & { faults: Faults };

/** Reads every setting at once, so an operator sees all that is missing or malformed in one line. */
export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = settingsSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && blankAsUnset[name] === undefined
        ? `${name} is not set`
        : `${name} ${issue.message}`;
    });
    throw new StartupError(
      'config',
      problems.join('; '),
      'set these environment variables (see the "Reference service" section of README.md)',
    );
  }
  const { FAULTS, ...settings } = parsed.data;
  return { ...settings, faults: parseFaults(FAULTS, settings.TEST_MODE) };
}
