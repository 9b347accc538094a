/**
 * SUB_AGENTS: a run led by a supervisor that hands each tool to a sub-agent of its own, as the later
 * product's runs were: several agent_started (each naming its agent), one agent_completed.
 */
export const SUPERVISOR_AGENT = 'supervisor';

/** The sub-agent a tool is handed to: calculator → calculator_agent. */
export function subAgentFor(toolName: string): string {
  return `${toolName}_agent`;
}
