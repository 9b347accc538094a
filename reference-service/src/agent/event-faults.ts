import { setTimeout as sleep } from 'node:timers/promises';
import { faultMilliseconds, type Faults } from '../faults.ts';
import type { AgentEvent, Emit } from './agent.ts';

/** Thrown into the agent to stop a run the ws_close_1011 fault has cut off. */
export class RunAbortedError extends Error {
  constructor() {
    super('run aborted: its socket was closed with 1011');
  }
}

/**
 * Wraps the emitter of a run with the event faults that are switched on: the failures production saw in
 * the event stream (dropped, reordered, duplicated, late events, a tool called before any thinking, a 1011
 * close mid-run). With none on, it
 * returns `emit` itself.
 */
export function withEventFaults(faults: Faults, emit: Emit, closeOriginWith1011: () => void): Emit {
  const dropped = faults.has('drop_event') ? faults.parameter('drop_event') : undefined;
  const duplicated = faults.has('duplicate_event') ? faults.parameter('duplicate_event') : undefined;
  const completionDelayMs = faults.has('slow_agent') ? faultMilliseconds(faults, 'slow_agent') : 0;
  const reorder = faults.has('reorder_events');
  const cutAfterFirstTool = faults.has('ws_close_1011');
  const toolBeforeThinking = faults.has('tool_before_thinking');
  if (!dropped && !duplicated && !completionDelayMs && !reorder && !cutAfterFirstTool && !toolBeforeThinking) return emit;

  let heldStart: AgentEvent | undefined;
  let heldThinking: AgentEvent | undefined;
  let toolAnnounced = false;
  return async (event) => {
    if (event.type === dropped) return;
    if (reorder && event.type === 'agent_started') {
      heldStart = event;
      return;
    }
    if (toolBeforeThinking && !toolAnnounced && event.type === 'agent_thinking') {
      heldThinking = event;
      return;
    }
    if (event.type === 'agent_completed' && completionDelayMs) await sleep(completionDelayMs);
    await emit(event);
    if (heldStart && event.type === 'agent_thinking') {
      await emit(heldStart);
      heldStart = undefined;
    }
    if (event.type === 'tool_executing') toolAnnounced = true;
    if (heldThinking && toolAnnounced) {
      await emit(heldThinking);
      heldThinking = undefined;
    }
    if (event.type === duplicated) await emit(event);
    if (cutAfterFirstTool && event.type === 'tool_executing') {
      closeOriginWith1011();
      throw new RunAbortedError();
    }
  };
}
