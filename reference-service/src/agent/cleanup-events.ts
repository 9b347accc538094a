/** CLEANUP_EVENTS: after agent_completed, the run announces its cleanup, as the later product's runs did. */
export const CLEANUP_EVENT_TYPES = ['cleanup_started', 'cleanup_complete'] as const;
export type CleanupEvent = { type: (typeof CLEANUP_EVENT_TYPES)[number] };
