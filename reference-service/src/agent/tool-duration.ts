/** The field tool_completed reports a tool's duration in: the contract's `duration_ms`, or the real product's `execution_time` (seconds). */
export const TOOL_DURATION_FIELDS = ['duration_ms', 'execution_time'] as const;
export type ToolDurationField = (typeof TOOL_DURATION_FIELDS)[number];

export type ToolDuration = { duration_ms: number } | { execution_time: number };

export function toolDuration(field: ToolDurationField, milliseconds: number): ToolDuration {
  // Microsecond precision either way: the contract's 0.891 ms is 0.000891 s.
  const microseconds = Math.round(milliseconds * 1000);
  return field === 'duration_ms' ? { duration_ms: microseconds / 1000 } : { execution_time: microseconds / 1_000_000 };
}
