import { z } from 'zod';
import { commaList, setting, trueOrFalse } from './schemas.ts';

const EVENT_TYPES = /^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/;

/** What a run of the service may carry besides the contract's five events, and what the answer must repeat. */
export const RUN_RULE_SETTINGS = {
  RUN_EXTRA_EVENTS: setting({
    at: 'protocol.extraRunEvents',
    schema: commaList(EVENT_TYPES, 'must be a comma list of event types, e.g. agent_response_chunk').default([]),
    fix: 'set RUN_EXTRA_EVENTS to the event types the service sends inside a run besides the five (chunks, deltas, progress), or unset it',
    differs: ({ protocol }) =>
      protocol.extraRunEvents.length === 0 ? undefined : `events inside a run outside the order rules: ${protocol.extraRunEvents.join(', ')}`,
  }),
  RUN_CLOSING_EVENTS: setting({
    at: 'protocol.closingEvents',
    schema: commaList(EVENT_TYPES, 'must be a comma list of event types, e.g. cleanup_started,cleanup_complete').default([]),
    fix: 'set RUN_CLOSING_EVENTS to the event types the service sends after agent_completed (cleanup), or unset it',
    differs: ({ protocol }) => (protocol.closingEvents.length === 0 ? undefined : `events after agent_completed: ${protocol.closingEvents.join(', ')}`),
  }),
  RUN_SUB_AGENTS: setting({
    at: 'protocol.subAgents',
    schema: trueOrFalse,
    fix: 'set RUN_SUB_AGENTS=true where a run starts sub-agents (several agent_started, one agent_completed), or unset it',
    differs: ({ protocol }) => (protocol.subAgents ? 'several agent_started per run (sub-agents), still one agent_completed' : undefined),
  }),
  EVENT_FIELDS: setting({
    at: 'protocol.eventFields',
    schema: z.enum(['strict', 'essential'], 'must be strict or essential').default('strict'),
    fix: "set EVENT_FIELDS=essential to require only what correctness needs (run id, bindings, execution ids, the answer), or strict for the contract's every field",
    differs: ({ protocol }) =>
      protocol.eventFields === 'strict'
        ? undefined
        : "event fields: only those correctness needs (run id, execution ids, the answer); epoch timestamps accepted; events without a user id bound by the harness's thread id",
  }),
  GOLDEN_PROMPT: setting({
    at: 'goldenPrompt',
    schema: z
      .string()
      .refine((template) => template.includes('{{nonce}}'), 'has no {{nonce}}: the answer could not be told from a canned one')
      .optional(),
    fix: 'set GOLDEN_PROMPT to a prompt with {{nonce}} that the answer must repeat, e.g. "Reply with the code {{nonce}}", or unset it for the arithmetic prompt',
    differs: ({ goldenPrompt }) => (goldenPrompt === undefined ? undefined : `golden prompt "${goldenPrompt}" (a code, not arithmetic)`),
  }),
};
