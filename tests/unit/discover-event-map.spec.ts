import { test, expect } from '@playwright/test';
import { eventNameMap, mapEvents } from '../../scripts/discover/event-map.ts';
import { CRITICAL_EVENTS } from '../../support/protocol/events.ts';
import { normaliseFrame } from '../../support/protocol/normalise.ts';
import { CONTRACT_PROTOCOL } from '../../support/protocol/profile.ts';

/** A socket's frames as discover listens to them: lifted out of their envelope, under the names the service sent. */
const listened = (raws: readonly unknown[]) => raws.map((raw) => normaliseFrame(raw, CONTRACT_PROTOCOL).fields);

const USER = 'bbdc49c1-ebbd-48ce-902d-a5bac2a6c308';
const THREAD = '81425f13-8c0c-413e-aa4d-af08ca3d4769';
const RUN = '5b82637d-3ca6-4a42-94fe-da5d9b7e1914';
const ids = { user_id: USER, thread_id: THREAD, run_id: RUN };

// Recorded by discover from the reference service (ids shortened to one user, thread and run).
const CONTRACT_RUN = [
  { type: 'connection_established', connection_id: 'c0', user_id: USER, timestamp: '2026-11-29T17:35:15.840Z' },
  { type: 'agent_started', agent_name: 'reference-agent', task_description: 'What is 54431 * 319?', ...ids, timestamp: '2026-11-29T17:35:15.864Z' },
  { type: 'agent_thinking', reasoning: 'Planning: calling calculator.', ...ids, timestamp: '2026-11-29T17:35:15.865Z' },
  {
    type: 'tool_executing',
    tool_name: 'calculator',
    tool_args: { expression: '54431 * 319' },
    execution_id: 'e1',
    ...ids,
    timestamp: '2026-11-29T17:35:15.870Z',
  },
  {
    type: 'tool_completed',
    tool_name: 'calculator',
    execution_id: 'e1',
    results: { value: '17363489' },
    duration_ms: 1.283,
    success: true,
    ...ids,
    timestamp: '2026-11-29T17:35:15.874Z',
  },
  { type: 'agent_thinking', reasoning: 'Composing the answer from 1 tool result(s).', ...ids, timestamp: '2026-11-29T17:35:15.876Z' },
  { type: 'agent_completed', status: 'completed', final_response: '54431 * 319 = 17363489', ...ids, timestamp: '2026-11-29T17:35:15.879Z' },
];

// EVENT_NAMES={"agent_started":"run.started",…} WS_ENVELOPE=payload
const RENAMED_RUN = [
  { type: 'connection_established', payload: { connection_id: 'c0', user_id: USER, timestamp: '2026-11-29T17:34:37.850Z' } },
  { type: 'run.started', payload: { agent_name: 'reference-agent', task_description: 'What is 59543 * 731?', ...ids } },
  { type: 'run.thinking', payload: { reasoning: 'Planning: calling calculator.', ...ids } },
  { type: 'tool.started', payload: { tool_name: 'calculator', tool_args: { expression: '59543 * 731' }, execution_id: 'e1', ...ids } },
  {
    type: 'tool.finished',
    payload: { tool_name: 'calculator', execution_id: 'e1', results: { value: '43525933' }, duration_ms: 1.188, success: true, ...ids },
  },
  { type: 'run.thinking', payload: { reasoning: 'Composing the answer from 1 tool result(s).', ...ids } },
  { type: 'run.completed', payload: { status: 'completed', final_response: '59543 * 731 = 43525933', ...ids } },
];

// The production shape: epoch timestamps, null user ids, chunks, heartbeats between frames.
const nullUser = { ...ids, user_id: null };
const PRODUCTION_RUN = [
  { type: 'connection_established', data: { connection_id: 'c0', user_id: USER, timestamp: 1795973664.3 } },
  { type: 'agent_started', agent_name: 'reference-agent', task_description: "Answering the user's request", ...nullUser, timestamp: 1795973664.321 },
  { type: 'agent_thinking', reasoning: 'Planning: calling calculator.', ...nullUser, timestamp: 1795973664.322 },
  {
    type: 'tool_executing',
    tool_name: 'calculator',
    tool_args: { operands: [79698, 307], operator: '*' },
    execution_id: 'e1',
    ...nullUser,
    timestamp: 1795973664.324,
  },
  { type: 'heartbeat', connection_id: 'c0', stats: { open_connections: 2 }, timestamp: 1795973664.324 },
  {
    type: 'tool_completed',
    tool_name: 'calculator',
    execution_id: 'e1',
    results: { value: '24467286' },
    execution_time: 6e-5,
    success: true,
    ...nullUser,
    timestamp: 1795973664.324,
  },
  { type: 'agent_thinking', reasoning: 'Composing the answer from 1 tool result(s).', ...nullUser, timestamp: 1795973664.326 },
  ...['The ', 'result ', 'is ', '24,467,286.'].map((chunk, index) => ({
    type: 'agent_response_chunk',
    chunk,
    index,
    ...nullUser,
    timestamp: 1795973664.327 + index / 1000,
  })),
  {
    type: 'agent_completed',
    status: 'completed',
    final_response: { response: 'The result is 24,467,286.', status: 'success', metadata: { tools: ['calculator'] } },
    ...nullUser,
    timestamp: 1795973664.335,
  },
  { type: 'heartbeat', connection_id: 'c0', stats: { open_connections: 2 }, timestamp: 1795973664.506 },
];

// The real product's welcome (REAL-SERVICES.md) lists the five names; its run sends thinking as `reasoning`,
// a bridge frame with details under data, and the completion helper's payload.
const PRODUCT_WELCOME = {
  type: 'connection_established',
  data: {
    mode: 'production',
    user_id: 'bbdc49c1...',
    connection_id: 'c0',
    golden_path_events: [...CRITICAL_EVENTS],
    features: { streaming: true },
    timestamp: '2026-11-29T17:35:15.840Z',
  },
  timestamp: 1795973664.3,
};
const PRODUCT_RUN = [
  PRODUCT_WELCOME,
  { type: 'agent_started', critical: true, request_id: 'req-1', run_id: RUN, thread_id: THREAD, user_id: null, timestamp: 1795973664.321 },
  { type: 'reasoning', run_id: RUN, data: { reasoning: 'Looking at the question.' }, timestamp: 1795973664.322 },
  { type: 'tool_executing', run_id: RUN, data: { tool_name: 'calculator', execution_id: 'e1' }, timestamp: 1795973664.324 },
  {
    type: 'tool_completed',
    run_id: RUN,
    data: { tool_name: 'calculator', execution_id: 'e1', execution_time: 0.01, results: { value: '24467286' } },
    timestamp: 1795973664.325,
  },
  { type: 'agent_completed', run_id: RUN, payload: { response: 'The result is 24,467,286.' }, timestamp: 1795973664.335 },
];

test.describe('mapping the service event names onto the contract five, from one recorded run', () => {
  test("the contract's own names map to themselves, and nothing is renamed", () => {
    const mapping = mapEvents(listened(CONTRACT_RUN), RUN);
    expect(mapping.names).toEqual(Object.fromEntries(CRITICAL_EVENTS.map((event) => [event, event])));
    expect(mapping).toMatchObject({ missing: [], extras: [] });
    expect(eventNameMap(mapping)).toEqual({});
  });

  test("a service's own names are mapped by what the frames do: tool.started is the tool's start, not the run's", () => {
    const mapping = mapEvents(listened(RENAMED_RUN), RUN);
    expect(eventNameMap(mapping)).toEqual({
      agent_started: 'run.started',
      agent_thinking: 'run.thinking',
      tool_executing: 'tool.started',
      tool_completed: 'tool.finished',
      agent_completed: 'run.completed',
    });
    expect(mapping.reasons.tool_executing).toBe('the first event of each execution_id');
    expect(mapping.extras).toEqual([]);
  });

  test('chunks inside the run are extra events; heartbeats, which belong to no run, are not', () => {
    const mapping = mapEvents(listened(PRODUCTION_RUN), RUN);
    expect(eventNameMap(mapping)).toEqual({});
    expect(mapping).toMatchObject({ missing: [], extras: ['agent_response_chunk'] });
  });

  test("a welcome that lists all five names is not a run: the real product's thinking event is found under its own name", () => {
    // Substring matching on the frames would see every contract name: this is the trap.
    expect(CRITICAL_EVENTS.every((event) => JSON.stringify(PRODUCT_WELCOME).includes(event))).toBe(true);

    const mapping = mapEvents(listened(PRODUCT_RUN), RUN);
    expect(eventNameMap(mapping)).toEqual({ agent_thinking: 'reasoning' });
    expect(mapping.missing).toEqual([]);
  });

  test('events the run never sent are missing, however often the welcome names them', () => {
    const withoutTools = PRODUCT_RUN.filter((frame) => !String(frame.type).startsWith('tool_'));
    const mapping = mapEvents(listened(withoutTools), RUN);
    expect(mapping.missing).toEqual(['tool_executing', 'tool_completed']);
    expect(mapping.names).toEqual({ agent_started: 'agent_started', agent_thinking: 'reasoning', agent_completed: 'agent_completed' });
  });

  test('an LLM-style stream: the start and end by their names, the deltas extra, no thinking or tool invented', () => {
    const stream = [
      { type: 'run.created', run_id: RUN },
      ...['The ', 'result is ', '24,467,286.'].map((delta) => ({ type: 'response.output_text.delta', run_id: RUN, delta })),
      { type: 'run.completed', run_id: RUN, output: [{ content: [{ type: 'output_text', text: 'The result is 24,467,286.' }] }] },
    ];
    const mapping = mapEvents(stream, RUN);
    expect(mapping.names).toEqual({ agent_started: 'run.created', agent_completed: 'run.completed' });
    expect(mapping).toMatchObject({ missing: ['agent_thinking', 'tool_executing', 'tool_completed'], extras: ['response.output_text.delta'] });
  });

  test('a run that thinks before it starts (reordered) keeps the names right: the order rules will say what is wrong', () => {
    const reordered = [CONTRACT_RUN[2]!, CONTRACT_RUN[1]!, ...CONTRACT_RUN.slice(3)];
    expect(eventNameMap(mapEvents(listened(reordered), RUN))).toEqual({});
  });

  test("another run's events on the same socket, and error frames, are neither mapped nor extra", () => {
    const otherRun = RENAMED_RUN.slice(1).map((frame) => ({ ...frame, payload: { ...frame.payload, run_id: 'another-run' } }));
    const error = { type: 'error', code: 'run_failed', message: 'the model timed out', ...ids };
    const mapping = mapEvents(listened([...otherRun, ...CONTRACT_RUN, error]), RUN);
    expect(eventNameMap(mapping)).toEqual({});
    expect(mapping.extras).toEqual([]);
  });
});
