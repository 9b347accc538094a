import { test, expect } from '@playwright/test';
import { normaliseFrame, type NormalisedFrame } from '../../support/protocol/normalise.ts';
import { CONTRACT_PROTOCOL } from '../../support/protocol/profile.ts';

test.describe('normaliseFrame', () => {
  const envelopes: Array<{ title: string; raw: unknown; normalised: NormalisedFrame }> = [
    {
      title: 'a root frame keeps its fields as they are',
      raw: { type: 'agent_started', run_id: 'run-1', agent_name: 'reference-agent' },
      normalised: { type: 'agent_started', envelope: 'root', fields: { type: 'agent_started', run_id: 'run-1', agent_name: 'reference-agent' } },
    },
    {
      title: 'a payload frame has its payload lifted to the root',
      raw: { type: 'agent_started', payload: { run_id: 'run-1', agent_name: 'reference-agent' } },
      normalised: { type: 'agent_started', envelope: 'payload', fields: { type: 'agent_started', run_id: 'run-1', agent_name: 'reference-agent' } },
    },
    {
      title: 'a data frame has its data lifted to the root',
      raw: { type: 'agent_started', data: { run_id: 'run-1', agent_name: 'reference-agent' } },
      normalised: { type: 'agent_started', envelope: 'data', fields: { type: 'agent_started', run_id: 'run-1', agent_name: 'reference-agent' } },
    },
    {
      title: 'root fields beside the wrapper are kept',
      raw: { type: 'agent_thinking', run_id: 'run-1', timestamp: '2026-01-01T00:00:00.000Z', payload: { reasoning: 'hm' } },
      normalised: {
        type: 'agent_thinking',
        envelope: 'payload',
        fields: { type: 'agent_thinking', run_id: 'run-1', timestamp: '2026-01-01T00:00:00.000Z', reasoning: 'hm' },
      },
    },
    {
      title: 'the wrapped value wins where the root names the same field',
      raw: { type: 'agent_thinking', run_id: 'root-run', data: { run_id: 'wrapped-run' } },
      normalised: { type: 'agent_thinking', envelope: 'data', fields: { type: 'agent_thinking', run_id: 'wrapped-run' } },
    },
    {
      title: 'the root type is kept when the wrapper names another',
      raw: { type: 'agent_completed', payload: { type: 'something_else', status: 'completed' } },
      normalised: { type: 'agent_completed', envelope: 'payload', fields: { type: 'agent_completed', status: 'completed' } },
    },
    {
      title: 'payload wins over data when both are objects, and data stays a plain field',
      raw: { type: 'x', payload: { a: 1 }, data: { b: 2 } },
      normalised: { type: 'x', envelope: 'payload', fields: { type: 'x', a: 1, data: { b: 2 } } },
    },
    {
      title: 'a payload that is not an object is a plain field, and data is lifted instead',
      raw: { type: 'x', payload: 'text', data: { b: 2 } },
      normalised: { type: 'x', envelope: 'data', fields: { type: 'x', payload: 'text', b: 2 } },
    },
    {
      title: 'an array payload is not an object, so the frame stays a root frame',
      raw: { type: 'x', payload: [1, 2] },
      normalised: { type: 'x', envelope: 'root', fields: { type: 'x', payload: [1, 2] } },
    },
  ];

  for (const { title, raw, normalised } of envelopes) {
    test(title, () => {
      expect(normaliseFrame(raw)).toEqual(normalised);
    });
  }

  const invalid: Array<{ title: string; raw: unknown }> = [
    { title: 'null', raw: null },
    { title: 'undefined', raw: undefined },
    { title: 'a string', raw: 'agent_started' },
    { title: 'a number', raw: 42 },
    { title: 'an array', raw: [{ type: 'agent_started' }] },
    { title: 'an object without a type', raw: { run_id: 'run-1' } },
    { title: 'an object with a non-string type', raw: { type: 7 } },
    { title: 'an object whose type is only inside the payload', raw: { payload: { type: 'agent_started' } } },
  ];

  for (const { title, raw } of invalid) {
    test(`${title} becomes an __invalid__ frame that keeps the raw value`, () => {
      expect(normaliseFrame(raw)).toEqual({ type: '__invalid__', envelope: 'root', fields: { type: '__invalid__', raw } });
    });
  }

  test('events the service names differently (EVENT_NAME_MAP) get their contract names, in any envelope', () => {
    const profile = { ...CONTRACT_PROTOCOL, eventNames: { agent_started: 'run.started', agent_completed: 'run.completed' } };

    expect(normaliseFrame({ type: 'run.started', payload: { run_id: 'run-1' } }, profile)).toEqual({
      type: 'agent_started',
      envelope: 'payload',
      fields: { type: 'agent_started', run_id: 'run-1' },
    });
    expect(normaliseFrame({ type: 'run.completed', run_id: 'run-1' }, profile).type).toBe('agent_completed');
    expect(normaliseFrame({ type: 'agent_thinking', run_id: 'run-1' }, profile).type).toBe('agent_thinking');
    // Without the map, a renamed event stays unknown, and the sequence rules say so.
    expect(normaliseFrame({ type: 'run.started' }, CONTRACT_PROTOCOL).type).toBe('run.started');
  });

  test('the type is read at WS_TYPE_KEY: a frame typed elsewhere is invalid, one typed there is read', () => {
    const profile = { ...CONTRACT_PROTOCOL, typeKey: 'event' };

    expect(normaliseFrame({ event: 'agent_started', run_id: 'run-1' }, profile)).toEqual({
      type: 'agent_started',
      envelope: 'root',
      fields: { event: 'agent_started', run_id: 'run-1', type: 'agent_started' },
    });
    expect(normaliseFrame({ type: 'agent_started', run_id: 'run-1' }, profile).type).toBe('__invalid__');
  });

  test('a wrapper frame (WS_WRAPPERS) is read as the event it carries, with its payload lifted', () => {
    const profile = { ...CONTRACT_PROTOCOL, wrappers: { system_message: 'event' } };
    const raw = { type: 'system_message', event: 'agent_thinking', payload: { run_id: 'run-1', reasoning: 'hm' } };

    expect(normaliseFrame(raw, profile)).toEqual({
      type: 'agent_thinking',
      envelope: 'payload',
      fields: { type: 'agent_thinking', run_id: 'run-1', reasoning: 'hm' },
    });
    // Unconfigured, the wrapper is what it says it is: an unknown frame, which the sequence rules report inside a run.
    expect(normaliseFrame(raw, CONTRACT_PROTOCOL).type).toBe('system_message');
    // A wrapper without the key is the wrapper itself.
    expect(normaliseFrame({ type: 'system_message', payload: {} }, profile).type).toBe('system_message');
  });

  test("ids the service names its own way (WS_ID_FIELDS) are also found under the contract's names", () => {
    const profile = { ...CONTRACT_PROTOCOL, idFields: { run_id: 'runId', thread_id: 'conversationId', execution_id: 'callId' } };

    expect(normaliseFrame({ type: 'tool_completed', runId: 'run-1', conversationId: 't-1', callId: 'c-1' }, profile).fields).toEqual({
      type: 'tool_completed',
      runId: 'run-1',
      conversationId: 't-1',
      callId: 'c-1',
      run_id: 'run-1',
      thread_id: 't-1',
      execution_id: 'c-1',
    });
    expect(normaliseFrame({ type: 'tool_completed', runId: 'run-1' }, CONTRACT_PROTOCOL).fields.run_id).toBeUndefined();
  });

  test('the received frame is not changed', () => {
    const raw = { type: 'x', run_id: 'root', payload: { run_id: 'wrapped' } };
    const copy = structuredClone(raw);

    normaliseFrame(raw);

    expect(raw).toEqual(copy);
  });
});
