import { z } from 'zod';
import { problemList } from './problem-list.ts';
import { EVIDENCE_SETTINGS } from './settings/evidence.ts';
import { CROSS_CHECKS, type GivenEnv, type SettingsOptions } from './settings/cross-checks.ts';
import { LATENCY_SETTINGS } from './settings/latency.ts';
import { LOCAL_STACK_SETTINGS } from './settings/local-stack.ts';
import { LOGIN_SETTINGS } from './settings/login.ts';
import type { HarnessSettings } from './settings/model.ts';
import { PROTOCOL_SETTINGS } from './settings/protocol.ts';
import { RUN_RULE_SETTINGS } from './settings/run-rules.ts';
import { fillFields, type EveryFieldFilled } from './settings/setting-table.ts';
import { SOCKET_SETTINGS } from './settings/socket.ts';
import { TARGET_SETTINGS } from './settings/target.ts';
import { UI_SETTINGS } from './settings/ui.ts';

export type { Account, HarnessSettings, LoginSettings, LoginStrategy, TicketSettings } from './settings/model.ts';
export { UI_TEST_IDS } from './settings/model.ts';
export type { SettingsOptions } from './settings/cross-checks.ts';
export { deriveWsUrl } from './settings/target.ts';
export { evidenceLocations } from './settings/evidence.ts';

/**
 * Every setting, one table assembled from a file per concern, in the order their problems are listed: its
 * schema (the default is the schema's), the field of HarnessSettings it fills, how to fix a problem with
 * it, and what it lets the target do differently from the contract. A new setting is one row in one of them.
 */
export const SETTINGS = {
  ...TARGET_SETTINGS,
  ...LOGIN_SETTINGS,
  ...SOCKET_SETTINGS,
  ...PROTOCOL_SETTINGS,
  ...RUN_RULE_SETTINGS,
  ...LATENCY_SETTINGS,
  ...LOCAL_STACK_SETTINGS,
  ...UI_SETTINGS,
  ...EVIDENCE_SETTINGS,
};

// Compiles only while every field of HarnessSettings has its setting above (else the error names the field).
true satisfies EveryFieldFilled<HarnessSettings, typeof SETTINGS>;

type SettingName = keyof typeof SETTINGS;

const schema = z.object(Object.fromEntries(Object.entries(SETTINGS).map(([name, { schema }]) => [name, schema])));

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problemList('setting(s) missing or malformed', problems));
    this.name = 'SettingsError';
  }
}

/** Validates every setting at once; throws a SettingsError that lists each problem with its fix. */
export function loadSettings(env: NodeJS.ProcessEnv, { requireTestAccount = true }: SettingsOptions = {}): HarnessSettings {
  const given: GivenEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(given);
  const settings = parsed.success ? fillFields<HarnessSettings>(SETTINGS, parsed.data) : undefined;
  const malformed = parsed.error?.issues.map((issue) => withFix(issue.path[0] as SettingName, issue.message)) ?? [];
  const broken = CROSS_CHECKS.flatMap((check) => {
    if (check.on === 'env') return check.broken(given, { requireTestAccount }) ? [withFix(check.setting as SettingName, check.problem)] : [];
    return settings && check.broken(settings) ? [withFix(check.setting as SettingName, check.problem(settings, given))] : [];
  });
  if (!settings || malformed.length + broken.length > 0) throw new SettingsError([...malformed, ...broken]);
  return settings;
}

/** What the settings allow the target to do differently from the contract, in words, in the table's order (see `differs`). */
export function contractDifferences(settings: HarnessSettings): string[] {
  return Object.values(SETTINGS).flatMap((row) => ('differs' in row && row.differs ? (row.differs(settings) ?? []) : []));
}

/** A problem as listed: the setting, what is wrong with it, and how to fix it. */
function withFix(setting: SettingName, problem: string): string {
  const { fix } = SETTINGS[setting] as { fix?: string };
  return `${setting} ${problem}${fix ? `: ${fix}` : ''}`;
}
