/**
 * WS_EVENT_WRAPPER: `system_message` sends a run's progress as the later product did,
 * `{"type":"system_message","event":"agent_thinking","payload":{…}}`, while the other frames keep WS_ENVELOPE.
 */
export const EVENT_WRAPPERS = ['off', 'system_message'] as const;
export type EventWrapper = (typeof EVENT_WRAPPERS)[number];

const WRAPPED_TYPES = new Set(['agent_thinking', 'tool_executing', 'tool_completed']);

/** Whether a frame goes out wrapped: the progress events, and the agent_started of a sub-agent (not of the run's top agent). */
export function createWrapRule(wrapper: EventWrapper, topAgentNames: readonly string[]): (frame: { type: string; agent_name?: unknown }) => boolean {
  if (wrapper === 'off') return () => false;
  return (frame) => WRAPPED_TYPES.has(frame.type) || (frame.type === 'agent_started' && !topAgentNames.includes(String(frame.agent_name)));
}

export function wrapped(sentType: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { type: 'system_message', event: sentType, payload: fields };
}
