import type { HarnessSettings } from './model.ts';

/** The environment as given, a blank value counted as unset. */
export type GivenEnv = Partial<Record<string, string>>;

export interface SettingsOptions {
  /**
   * Whether an external target needs TEST_USER_EMAIL and TEST_USER_PASSWORD: the suite does (it logs in
   * as that account); `npm run load` does not (its users come from LOAD_USERS_FILE or JWT_SECRET).
   */
  requireTestAccount?: boolean;
}

/**
 * A rule between settings: when `broken`, its problem is reported on `setting`, with that setting's fix.
 * A rule `on: 'env'` reads the values as given, malformed or not, so a malformed setting does not hide a
 * missing one; a rule `on: 'settings'` reads them once every one is valid.
 */
export type CrossCheck = { setting: string } & (
  | { on: 'env'; broken: (env: GivenEnv, options: Required<SettingsOptions>) => boolean; problem: string }
  | { on: 'settings'; broken: (settings: HarnessSettings) => boolean; problem: (settings: HarnessSettings, env: GivenEnv) => string }
);

const requiredWhenExternal = (setting: string, onlyIf: (options: Required<SettingsOptions>) => boolean = () => true): CrossCheck => ({
  setting,
  on: 'env',
  broken: (env, options) => env.TARGET === 'external' && onlyIf(options) && env[setting] === undefined,
  problem: 'is not set (required when TARGET=external)',
});

const bothOrNeither = (first: string, second: string, problem = 'is not set while its pair is'): CrossCheck[] =>
  (
    [
      [first, second],
      [second, first],
    ] as const
  ).map(([unset, pair]) => ({ setting: unset, on: 'env', broken: (env) => env[pair] !== undefined && env[unset] === undefined, problem }));

const degradedBelowFailing = (measure: 'CONNECT' | 'FIRST_EVENT' | 'COMPLETION', field: 'connectMs' | 'firstEventMs' | 'completionMs'): CrossCheck => ({
  setting: `LATENCY_${measure}_DEGRADED_MS`,
  on: 'settings',
  broken: (settings) => settings.degradedLatency[field] >= settings.latency[field],
  problem: (settings) => `is ${settings.degradedLatency[field]}, not below LATENCY_${measure}_MS (${settings.latency[field]})`,
});

/** The rules between settings, in the order their problems are listed (after the malformed values). */
export const CROSS_CHECKS: CrossCheck[] = [
  {
    setting: 'LOCAL_STACK_REUSE',
    on: 'env',
    broken: (env) => env.LOCAL_STACK_REUSE === 'true' && env.CI !== undefined,
    problem: 'is true, but CI is set: a CI run starts and stops its own containers, so that nothing outlives it',
  },
  {
    setting: 'LOCAL_SERVICE_FAULTS',
    on: 'env',
    broken: (env) => env.TARGET === 'external' && env.LOCAL_SERVICE_FAULTS !== undefined,
    problem: 'is set, but TARGET=external starts no service to break',
  },
  requiredWhenExternal('BASE_URL'),
  requiredWhenExternal('TEST_USER_EMAIL', (options) => options.requireTestAccount),
  requiredWhenExternal('TEST_USER_PASSWORD', (options) => options.requireTestAccount),
  ...bothOrNeither('TEST_USER_EMAIL', 'TEST_USER_PASSWORD'),
  ...bothOrNeither('TEST_USER2_EMAIL', 'TEST_USER2_PASSWORD'),
  {
    setting: 'WS_AUTH',
    on: 'settings',
    broken: (settings) => !settings.wsAuthAccepted.includes(settings.wsAuth),
    problem: (settings, env) => `is ${settings.wsAuth}, which WS_AUTH_ACCEPTED (${env.WS_AUTH_ACCEPTED}) says the target refuses: set WS_AUTH to one of those`,
  },
  {
    setting: 'BYPASS_KEY',
    on: 'env',
    broken: (env) => env.LOGIN_STRATEGY === 'bypass' && env.BYPASS_KEY === undefined,
    problem: 'is not set (required when LOGIN_STRATEGY=bypass)',
  },
  ...bothOrNeither('HANDSHAKE_FRAME', 'HANDSHAKE_REPLY', 'is not set, but a handshake needs both the frame that opens it and the reply'),
  {
    setting: 'HANDSHAKE_DONE',
    on: 'env',
    broken: (env) => env.HANDSHAKE_DONE !== undefined && env.HANDSHAKE_FRAME === undefined,
    problem: 'is set, but HANDSHAKE_FRAME is not: there is no handshake to complete',
  },
  {
    setting: 'START_MESSAGE',
    on: 'settings',
    broken: (settings) => settings.protocol.handshake === undefined && settings.protocol.startMessage.includes('{{handshake.'),
    problem: () => 'names {{handshake.…}}, but HANDSHAKE_FRAME is not set: there is no handshake to take it from',
  },
  degradedBelowFailing('CONNECT', 'connectMs'),
  degradedBelowFailing('FIRST_EVENT', 'firstEventMs'),
  degradedBelowFailing('COMPLETION', 'completionMs'),
];
