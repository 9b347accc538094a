import { CRITICAL_EVENTS, type CriticalEvent } from '../../support/protocol/events.ts';

export interface EventMapping {
  /** Contract event → the name the service sent it under, for each one found. */
  names: Partial<Record<CriticalEvent, string>>;
  /** Contract events the run did not send under any name. */
  missing: CriticalEvent[];
  /** The run's other event types (chunks, progress): RUN_EXTRA_EVENTS. */
  extras: string[];
  /** Why each name was taken, for the profile's comment. */
  reasons: Partial<Record<CriticalEvent, string>>;
}

type Frame = Record<string, unknown>;

// Name patterns of real services' events. A tool's own events are told apart by their execution id
// first: `tool.started` names a start, but not the run's.
const STARTED = /start|begin|creat|init|open|accept/i;
const THINKING = /think|reason|plan|progress|thought|step/i;
const COMPLETED = /complet|done|final|finish|end|success/i;
const TOOL = /tool|function/i;
const TOOL_STARTED = /exec|call|invok|start|begin|run/i;
const TOOL_FINISHED = /complet|finish|result|end|done|return|output/i;
const STREAMED = /chunk|delta|partial|stream|token/i;
const ERROR = /error|fail/i;

/**
 * Maps the service's event names onto the contract's five, from one recorded run: only frames of that
 * run count (a welcome that lists the five names, as the real product's does, names no run), and a name
 * is taken by what the frames do before what they are called: the contract's own name as is, a tool's
 * pair by their shared execution id, the run's start and end by their patterns, then by their place
 * (first, last). Error frames are the sequence rules' business, never an event.
 */
export function mapEvents(frames: readonly Frame[], runId: unknown): EventMapping {
  const ofRun = frames.filter((frame) => frame.run_id === runId && typeof frame.type === 'string' && !ERROR.test(frame.type as string));
  const types = [...new Set(ofRun.map((frame) => frame.type as string))];
  const names: Partial<Record<CriticalEvent, string>> = {};
  const reasons: Partial<Record<CriticalEvent, string>> = {};
  const taken = () => new Set(Object.values(names));
  const take = (event: CriticalEvent, type: string | undefined, reason: string) => {
    if (type === undefined || names[event] !== undefined || taken().has(type)) return;
    names[event] = type;
    reasons[event] = reason;
  };
  const free = (predicate: (type: string) => boolean = () => true) => types.filter((type) => !taken().has(type) && !STREAMED.test(type) && predicate(type));

  for (const event of CRITICAL_EVENTS) if (types.includes(event)) take(event, event, "the contract's name");

  const [toolStarted, toolFinished] = toolPair(ofRun);
  take('tool_executing', toolStarted, 'the first event of each execution_id');
  take('tool_completed', toolFinished, 'the last event of each execution_id');
  take('tool_executing', free((type) => TOOL.test(type) && TOOL_STARTED.test(type))[0], 'a tool event named like a start');
  take('tool_completed', free((type) => TOOL.test(type) && TOOL_FINISHED.test(type))[0], 'a tool event named like an end');

  const runOnly = (pattern: RegExp) => (type: string) => pattern.test(type) && !TOOL.test(type);
  take('agent_completed', free(runOnly(COMPLETED)).at(-1), 'named like an end');
  const lastType = ofRun.at(-1)?.type as string | undefined;
  take('agent_completed', free().includes(lastType!) ? lastType : undefined, "the run's last event");
  take('agent_started', free(runOnly(STARTED))[0], 'named like a start');
  const firstType = ofRun[0]?.type as string | undefined;
  take('agent_started', free().includes(firstType!) ? firstType : undefined, "the run's first event");
  take('agent_thinking', free(runOnly(THINKING))[0], 'named like thinking');
  const firstTool = ofRun.findIndex((frame) => frame.type === names.tool_executing);
  const beforeTool = ofRun.slice(0, firstTool >= 0 ? firstTool : undefined).map((frame) => frame.type as string);
  take('agent_thinking', free((type) => beforeTool.includes(type))[0], 'the event between the start and the first tool');

  return {
    names,
    reasons,
    missing: CRITICAL_EVENTS.filter((event) => names[event] === undefined),
    extras: types.filter((type) => !taken().has(type)),
  };
}

/** The types that open and close a tool's execution, by the execution ids their frames share. */
function toolPair(ofRun: readonly Frame[]): [string | undefined, string | undefined] {
  const byExecution = new Map<unknown, string[]>();
  for (const frame of ofRun) {
    if (frame.execution_id === undefined || frame.execution_id === null) continue;
    byExecution.set(frame.execution_id, [...(byExecution.get(frame.execution_id) ?? []), frame.type as string]);
  }
  const executions = [...byExecution.values()];
  const opening = mostCommon(executions.map((types) => types[0]!));
  const closing = mostCommon(executions.map((types) => types.at(-1)!).filter((type) => type !== opening));
  return [opening, closing];
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** EVENT_NAME_MAP: only the events the service names differently from the contract. */
export function eventNameMap(mapping: EventMapping): Record<string, string> {
  return Object.fromEntries(
    CRITICAL_EVENTS.flatMap((event) => (mapping.names[event] !== undefined && mapping.names[event] !== event ? [[event, mapping.names[event]]] : [])),
  );
}
