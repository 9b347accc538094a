import { STAGES, type Stage } from './stages.ts';

/** What a failure in each stage means for the claim, as the report's categories and the verdict name it. */
export const STAGE_CATEGORIES: Record<Stage, { name: string; meaning: string }> = {
  config: { name: 'Config', meaning: 'a setting is missing or malformed; nothing was tested' },
  infrastructure: { name: 'Infrastructure', meaning: 'the target, the container engine or the browser did not answer; nothing was tested' },
  auth: { name: 'Auth', meaning: 'the user could not log in, or a token was not honoured' },
  websocket: { name: 'WebSocket', meaning: 'the socket did not open, was refused, or was not welcomed' },
  'agent-events': { name: 'Agent events', meaning: 'an agent event was missing, out of order, duplicated, malformed or for another run' },
  'ai-response': { name: 'AI response', meaning: "the final answer was wrong for this run's nonce (canned, cached or fallback)" },
  ui: { name: 'UI', meaning: 'the page did not render the form, the chat or the answer' },
  persistence: { name: 'Persistence', meaning: 'the message or the answer was not stored' },
  isolation: { name: 'Isolation', meaning: "a socket received another user's events" },
  security: { name: 'Security', meaning: 'the service accepted a credential or Origin it must refuse' },
  latency: { name: 'Latency', meaning: 'connect, first event or completion took longer than its threshold' },
};

export const UNATTRIBUTED_CATEGORY = {
  name: 'Unattributed',
  meaning: 'the failure carries no stage marker: a test timeout or an error in the harness itself',
};

/**
 * Allure categories keyed on the `[stage:x]` marker at the start of the error message (reporters put the
 * error's name before it: `StageFailure: [stage:x] ...`), never on the wording after it.
 */
export interface CategoryRule {
  name: string;
  /** Searched for in the failure's message; a rule without one takes every failure still unfiled. */
  messageRegex?: string;
  matchedStatuses: Array<'failed' | 'broken'>;
}

export function allureCategories(): CategoryRule[] {
  const failures: CategoryRule['matchedStatuses'] = ['failed', 'broken'];
  return [
    ...STAGES.map((stage) => ({ name: STAGE_CATEGORIES[stage].name, messageRegex: `^(?:\\w+: )?\\[stage:${stage}\\] `, matchedStatuses: failures })),
    { name: UNATTRIBUTED_CATEGORY.name, matchedStatuses: failures },
  ];
}
