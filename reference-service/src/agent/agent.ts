import { randomUUID } from 'node:crypto';
import { answerChunks } from './answer-chunks.ts';
import type { AnswerFields } from './answer-field.ts';
import type { Answer } from './answer-shape.ts';
import type { CleanupEvent } from './cleanup-events.ts';
import { SUPERVISOR_AGENT, subAgentFor } from './sub-agents.ts';
import type { Tool, ToolContext } from './tool.ts';
import { toolDuration, type ToolDuration, type ToolDurationField } from './tool-duration.ts';
import { calculator, calculatorWithoutEcho } from './tools/calculator.ts';
import { usageReport } from './tools/usage-report.ts';

export const AGENT_NAME = 'reference-agent';
export const FALLBACK_ANSWER = "I'm having trouble reaching my tools right now, but the answer is most likely 42.";
const HELP_ANSWER = 'I can do arithmetic (try "What is 12 * 7?") or report your usage (try "What is my usage?").';
/** agent_started's task_description when the prompt is not echoed: it says what the agent does, never what the user wrote. */
const TASK_WITHOUT_ECHO = "Answering the user's request";

/** An event of a run before the runner binds it to its run (user_id, thread_id, run_id). */
export type AgentEvent =
  | { type: 'agent_started'; agent_name: string; task_description: string }
  | { type: 'agent_thinking'; reasoning: string }
  | { type: 'tool_executing'; tool_name: string; tool_args: Record<string, unknown>; execution_id: string }
  | ({ type: 'tool_completed'; tool_name: string; execution_id: string; results: Record<string, unknown>; success: boolean } & ToolDuration)
  | { type: 'agent_response_chunk'; chunk: string; index: number }
  | ({ type: 'agent_completed'; status: 'completed' } & AnswerFields)
  | CleanupEvent;

export type Emit = (event: AgentEvent) => Promise<void>;

export interface AgentOptions {
  /** The fallback_answer fault: a canned answer whatever the tools returned. */
  fallbackAnswer: boolean;
  /** The wrong_answer fault: the answer's last number is one more than the tools said, as a model that miscounts. */
  wrongAnswer: boolean;
  /** ECHO_PROMPT: false keeps the user's words out of every event (task description, tool arguments, answer). */
  echoPrompt: boolean;
  /** STREAM_CHUNKS: the answer also goes out word by word, as agent_response_chunk events. */
  streamChunks: boolean;
  toolDurationField: ToolDurationField;
  /** SUB_AGENTS: a supervisor starts, then hands each tool to a sub-agent that starts and thinks before calling it. */
  subAgents: boolean;
}

/**
 * The deterministic agent: plans from the prompt, runs the tools it needs, and returns the final answer.
 * It emits every event but agent_completed, which the runner sends once the answer is stored.
 */
export async function runAgent(prompt: string, context: ToolContext, emit: Emit, options: AgentOptions): Promise<Answer> {
  const tools: readonly Tool[] = [options.echoPrompt ? calculator : calculatorWithoutEcho, usageReport];
  await emit({
    type: 'agent_started',
    agent_name: options.subAgents ? SUPERVISOR_AGENT : AGENT_NAME,
    task_description: options.echoPrompt ? prompt.slice(0, 200) : TASK_WITHOUT_ECHO,
  });
  const plan = tools.flatMap((tool) => {
    const args = tool.plan(prompt);
    return args ? [{ tool, args }] : [];
  });
  await emit({
    type: 'agent_thinking',
    reasoning:
      plan.length === 0 ? 'No tool fits this request; answering with what I can do.' : `Planning: calling ${plan.map(({ tool }) => tool.name).join(' then ')}.`,
  });

  const sentences: string[] = [];
  for (const { tool, args } of plan) {
    if (options.subAgents) {
      await emit({ type: 'agent_started', agent_name: subAgentFor(tool.name), task_description: `Running ${tool.name} for the supervisor` });
      await emit({ type: 'agent_thinking', reasoning: `Calling ${tool.name}.` });
    }
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
    const duration = toolDuration(options.toolDurationField, performance.now() - started);
    await emit({ type: 'tool_completed', tool_name: tool.name, execution_id: executionId, results, ...duration, success });
  }

  // Under sub-agents the supervisor answers as soon as they are done, as the later product's did.
  if (plan.length > 0 && !options.subAgents) await emit({ type: 'agent_thinking', reasoning: `Composing the answer from ${plan.length} tool result(s).` });
  const composed = options.fallbackAnswer ? FALLBACK_ANSWER : sentences.length > 0 ? sentences.join(' ') : HELP_ANSWER;
  const text = options.wrongAnswer ? lastNumberPlusOne(composed) : composed;
  if (options.streamChunks) {
    for (const [index, chunk] of answerChunks(text).entries()) await emit({ type: 'agent_response_chunk', chunk, index });
  }
  return { text, tools: plan.map(({ tool }) => tool.name) };
}

/** `… = 337491` becomes `… = 337492`, `337,491.` becomes `337,492.`: the last run of digits, one more. */
function lastNumberPlusOne(text: string): string {
  return text.replace(/(\d+)(?!.*\d)/s, (digits) => String(BigInt(digits) + 1n).padStart(digits.length, '0'));
}
