import { randomUUID } from 'node:crypto';
import type { Tool, ToolContext } from './tool.ts';
import { calculator } from './tools/calculator.ts';
import { usageReport } from './tools/usage-report.ts';

export const AGENT_NAME = 'reference-agent';
const TOOLS: readonly Tool[] = [calculator, usageReport];
export const FALLBACK_ANSWER = "I'm having trouble reaching my tools right now, but the answer is most likely 42.";
const HELP_ANSWER = 'I can do arithmetic (try "What is 12 * 7?") or report your usage (try "What is my usage?").';

/** An event of a run before the runner adds user_id, thread_id, run_id and timestamp. */
export type AgentEvent =
  | { type: 'agent_started'; agent_name: string; task_description: string }
  | { type: 'agent_thinking'; reasoning: string }
  | { type: 'tool_executing'; tool_name: string; tool_args: Record<string, unknown>; execution_id: string }
  | {
      type: 'tool_completed';
      tool_name: string;
      execution_id: string;
      results: Record<string, unknown>;
      duration_ms: number;
      success: boolean;
    }
  | { type: 'agent_completed'; status: 'completed'; final_response: string };

export type Emit = (event: AgentEvent) => Promise<void>;

/**
 * The deterministic agent: plans from the prompt, runs the tools it needs, and returns the final answer.
 * It emits every event but agent_completed, which the runner sends once the answer is stored.
 */
export async function runAgent(
  prompt: string,
  context: ToolContext,
  emit: Emit,
  options: { fallbackAnswer: boolean },
): Promise<string> {
  await emit({ type: 'agent_started', agent_name: AGENT_NAME, task_description: prompt.slice(0, 200) });
  const plan = TOOLS.flatMap((tool) => {
    const args = tool.plan(prompt);
    return args ? [{ tool, args }] : [];
  });
  await emit({
    type: 'agent_thinking',
    reasoning:
      plan.length === 0
        ? 'No tool fits this request; answering with what I can do.'
        : `Planning: calling ${plan.map(({ tool }) => tool.name).join(' then ')}.`,
  });

  const sentences: string[] = [];
  for (const { tool, args } of plan) {
    const executionId = randomUUID();
    await emit({ type: 'tool_executing', tool_name: tool.name, tool_args: args, execution_id: executionId });
    const started = performance.now();
    let results: Record<string, unknown>;
    let success = true;
    try {
      results = await tool.execute(args, context);
      sentences.push(tool.describe(args, results));
    } catch (error) {
      success = false;
      results = { error: (error as Error).message };
      sentences.push(`I could not run ${tool.name}: ${(error as Error).message}.`);
    }
    const duration_ms = Math.round((performance.now() - started) * 1000) / 1000;
    await emit({ type: 'tool_completed', tool_name: tool.name, execution_id: executionId, results, duration_ms, success });
  }

  if (plan.length > 0) await emit({ type: 'agent_thinking', reasoning: `Composing the answer from ${plan.length} tool result(s).` });
  if (options.fallbackAnswer) return FALLBACK_ANSWER;
  return sentences.length > 0 ? sentences.join(' ') : HELP_ANSWER;
}
