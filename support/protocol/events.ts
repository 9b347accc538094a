import { z } from 'zod';
import { activeProtocol, type ProtocolProfile } from './profile.ts';

/** The five events every golden-path run must show, in this order of first appearance. */
export const CRITICAL_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
export type CriticalEvent = (typeof CRITICAL_EVENTS)[number];


const runFields = {
  user_id: z.string().min(1),
  thread_id: z.string().min(1),
  run_id: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' }),
};

/** The fields each run event must carry, with their types. Extra fields are allowed. */
export const EVENT_SCHEMAS: Record<CriticalEvent, z.ZodType> = {
  agent_started: z.object({ ...runFields, agent_name: z.string().min(1), task_description: z.string() }),
  agent_thinking: z.object({ ...runFields, reasoning: z.string() }),
  tool_executing: z.object({
    ...runFields,
    tool_name: z.string().min(1),
    tool_args: z.record(z.string(), z.unknown()),
    execution_id: z.string().min(1),
  }),
  tool_completed: z.object({
    ...runFields,
    tool_name: z.string().min(1),
    execution_id: z.string().min(1),
    results: z.unknown().refine((value) => value !== undefined, 'is required'),
    duration_ms: z.number().nonnegative(),
    success: z.boolean(),
  }),
  agent_completed: z.object({ ...runFields, status: z.string().min(1), final_response: z.string() }),
};

/** Whether a frame type is the service's welcome (WS_WELCOME_TYPES; the contract's is connection_established). */
export function isWelcome(type: unknown, profile: ProtocolProfile = activeProtocol()): boolean {
  return profile.welcomeTypes.includes(type as string);
}

export function isCriticalEvent(type: unknown): type is CriticalEvent {
  return (CRITICAL_EVENTS as readonly unknown[]).includes(type);
}
