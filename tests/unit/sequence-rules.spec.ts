import { test, expect } from '@playwright/test';
import { EXPECTED_SEQUENCE, checkOwnership, checkRun, formatTranscript, type TranscriptEntry, type Violation } from '../../support/protocol/sequence.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { AT, RUN, inserted, patched, runEvent, swapped, validRun, welcome, without } from './transcripts.ts';

const ESSENTIAL: ProtocolProfile = { ...CONTRACT_PROTOCOL, eventFields: 'essential' };

test.describe('checkRun', () => {
  test('a valid run has no violations', () => {
    expect(checkRun(validRun(), RUN)).toEqual([]);
  });

  test('the expected sequence names every critical event in order', () => {
    expect(EXPECTED_SEQUENCE).toBe(
      'agent_started (first) → agent_thinking (≥1) → tool_executing → tool_completed (same execution_id) → … → agent_completed (exactly once, last)',
    );
  });

  const errorFrame = runEvent(350, 'error', { code: 'TOOL_FAILED', message: 'calculator crashed' });

  const rules: Array<{ rule: Violation['rule']; mutation: string; transcript: TranscriptEntry[]; profile?: ProtocolProfile; violations: Violation[] }> = [
    {
      rule: 'missing-event',
      mutation: 'no agent_thinking arrives',
      transcript: without(validRun(), AT.thinking, AT.thinkingAgain),
      violations: [{ rule: 'missing-event', message: 'agent_thinking never arrived' }],
    },
    {
      rule: 'started-not-first',
      mutation: 'agent_thinking arrives before agent_started',
      transcript: swapped(validRun(), AT.started, AT.thinking),
      violations: [{ rule: 'started-not-first', message: 'the first event of the run is agent_thinking, not agent_started' }],
    },
    {
      rule: 'tool-before-thinking',
      mutation: 'the tool is called before the first agent_thinking',
      transcript: swapped(validRun(), AT.thinking, AT.executing),
      violations: [
        {
          rule: 'tool-before-thinking',
          message: 'tool_executing arrived before any agent_thinking: the agent must think at least once before it calls a tool',
        },
      ],
    },
    {
      rule: 'completed-not-once',
      mutation: 'agent_completed arrives twice',
      transcript: [...validRun(), runEvent(450, 'agent_completed', { status: 'completed', final_response: '2 + 3 = 5' })],
      violations: [
        { rule: 'completed-not-once', message: 'agent_completed arrived 2 times' },
        { rule: 'completed-not-last', message: 'agent_completed arrived after agent_completed' },
      ],
    },
    {
      rule: 'completed-not-last',
      mutation: 'agent_thinking arrives after agent_completed',
      transcript: [...validRun(), runEvent(450, 'agent_thinking', { reasoning: 'One more thought.' })],
      violations: [{ rule: 'completed-not-last', message: 'agent_thinking arrived after agent_completed' }],
    },
    {
      rule: 'tool-not-completed',
      mutation: 'a second tool executes and never completes',
      transcript: inserted(
        validRun(),
        AT.completed,
        runEvent(320, 'tool_executing', { tool_name: 'calculator', tool_args: { expression: '5 * 2' }, execution_id: 'exec-2' }),
      ),
      violations: [{ rule: 'tool-not-completed', message: 'tool_executing exec-2 has no tool_completed with the same execution_id' }],
    },
    {
      rule: 'tool-completed-unannounced',
      mutation: 'tool_completed arrives before its tool_executing',
      transcript: swapped(validRun(), AT.executing, AT.toolCompleted),
      violations: [{ rule: 'tool-completed-unannounced', message: 'tool_completed for execution_id exec-1 had no tool_executing before it' }],
    },
    {
      rule: 'foreign-user',
      mutation: 'tool_executing names another user',
      transcript: patched(validRun(), AT.executing, { user_id: 'user-2' }),
      violations: [{ rule: 'foreign-user', message: 'frame 3 (tool_executing) belongs to user user-2, not user-1' }],
    },
    {
      rule: 'foreign-thread',
      mutation: 'the second agent_thinking names another thread',
      transcript: patched(validRun(), AT.thinkingAgain, { thread_id: 'thread-2' }),
      violations: [{ rule: 'foreign-thread', message: 'frame 5 (agent_thinking) belongs to thread thread-2, not thread-1' }],
    },
    {
      rule: 'unbound-event',
      mutation: 'under essential fields, agent_thinking names no user and no thread',
      transcript: patched(validRun(), AT.thinking, { user_id: null, thread_id: undefined }),
      profile: ESSENTIAL,
      violations: [
        {
          rule: 'unbound-event',
          message:
            "frame 2 (agent_thinking) names no user and not this turn's thread: isolation cannot be judged for it; a service whose events carry no user id must echo the thread id the harness sends (START_MESSAGE with {{thread_id}})",
        },
      ],
    },
    {
      rule: 'invalid-fields',
      mutation: 'tool_completed has a string duration and no success flag',
      transcript: patched(validRun(), AT.toolCompleted, { duration_ms: '60', success: undefined }),
      violations: [
        {
          rule: 'invalid-fields',
          message: 'frame 4 (tool_completed): duration_ms must be a number ≥ 0 (got string); success must be a boolean (got undefined)',
        },
      ],
    },
    {
      rule: 'error-frame',
      mutation: 'the service sends an error before agent_completed',
      transcript: inserted(validRun(), AT.completed, errorFrame),
      violations: [{ rule: 'error-frame', message: 'frame 6: the service sent an error: TOOL_FAILED: calculator crashed' }],
    },
    {
      rule: 'unknown-event',
      mutation: 'an event comes under a name the contract does not know',
      transcript: inserted(validRun(), AT.completed, runEvent(350, 'run.progress', { percent: 50 })),
      violations: [
        {
          rule: 'unknown-event',
          message:
            "the run sent run.progress, which the contract does not name: if these are this service's names for contract events, map them in EVENT_NAME_MAP; if they are extra events inside a run (chunks, progress), list them in RUN_EXTRA_EVENTS; if they only follow agent_completed (cleanup), in RUN_CLOSING_EVENTS",
        },
      ],
    },
  ];

  rules.push(
    {
      rule: 'started-not-once',
      mutation: 'a second agent_started arrives in a contract run',
      transcript: inserted(validRun(), AT.executing, runEvent(150, 'agent_started', { agent_name: 'calculator_agent', task_description: 'Compute' })),
      violations: [{ rule: 'started-not-once', message: "agent_started arrived 2 times: if this service's runs start sub-agents, set RUN_SUB_AGENTS=true" }],
    },
    {
      rule: 'closing-before-completed',
      mutation: 'a closing event (RUN_CLOSING_EVENTS) arrives before agent_completed',
      transcript: inserted(validRun(), AT.completed, runEvent(350, 'cleanup_started')),
      profile: { ...CONTRACT_PROTOCOL, closingEvents: ['cleanup_started', 'cleanup_complete'] },
      violations: [
        { rule: 'closing-before-completed', message: 'cleanup_started arrived before agent_completed, but RUN_CLOSING_EVENTS allows them only after it' },
      ],
    },
    {
      rule: 'error-frame',
      mutation: 'the service sends an error that names only its text under error',
      transcript: inserted(validRun(), AT.completed, runEvent(350, 'error', { error: 'agent crashed' })),
      violations: [{ rule: 'error-frame', message: 'frame 6: the service sent an error: agent crashed' }],
    },
  );

  test('sub-agents (RUN_SUB_AGENTS): several agent_started, one agent_completed, and every other rule still holds', () => {
    const subAgent = runEvent(150, 'agent_started', { agent_name: 'calculator_agent', task_description: 'Compute' });
    const profile = { ...CONTRACT_PROTOCOL, subAgents: true };

    expect(checkRun(inserted(validRun(), AT.executing, subAgent), RUN, profile)).toEqual([]);
    expect(
      checkRun([...inserted(validRun(), AT.executing, subAgent), runEvent(450, 'agent_completed', { status: 'completed', final_response: '5' })], RUN, profile),
    ).toEqual([
      { rule: 'completed-not-once', message: 'agent_completed arrived 2 times' },
      { rule: 'completed-not-last', message: 'agent_completed arrived after agent_completed' },
    ]);
  });

  test('a run whose every event names one other thread is said once, naming START_MESSAGE', () => {
    const elsewhere = validRun().map((entry) => ({ ...entry, frame: { ...entry.frame, thread_id: 'thread-9' } }));

    expect(checkRun(elsewhere, RUN)).toEqual([
      {
        rule: 'foreign-thread',
        message: expect.stringMatching(
          /^every event of the run belongs to thread thread-9, not thread-1, the one the start message named: .*set START_MESSAGE/,
        ),
      },
    ]);
  });

  test('wrapper frames the harness was not told of are unknown events, and the message names WS_WRAPPERS', () => {
    const wrapped = runEvent(150, 'system_message', { event: 'tool_executing', tool_name: 'calculator', execution_id: 'exec-2' });

    expect(checkRun(inserted(validRun(), AT.completed, wrapped), RUN).find(({ rule }) => rule === 'unknown-event')?.message).toMatch(
      /the run sent system_message, .*: set WS_WRAPPERS=system_message:event$/,
    );
  });

  test('closing events (RUN_CLOSING_EVENTS) after agent_completed belong to the run and break no rule; of another user they are a leak', () => {
    const profile = { ...CONTRACT_PROTOCOL, closingEvents: ['cleanup_started', 'cleanup_complete'] };
    const closing = [runEvent(450, 'cleanup_started'), runEvent(460, 'cleanup_complete')];

    expect(checkRun([...validRun(), ...closing], RUN, profile)).toEqual([]);
    expect(checkRun([...validRun(), runEvent(450, 'cleanup_started', { user_id: 'user-2' })], RUN, profile)).toEqual([
      { rule: 'foreign-user', message: 'frame 7 (cleanup_started) belongs to user user-2, not user-1' },
    ]);
  });

  for (const { rule, mutation, transcript, profile, violations } of rules) {
    test(`${rule}: a run where ${mutation} is reported exactly`, () => {
      expect(checkRun(transcript, RUN, profile ?? CONTRACT_PROTOCOL)).toEqual(violations);
    });
  }

  test('an error bound to no run (an answer to what the client sent) is reported too', () => {
    const transcript = [...validRun(), { at: 500, frame: { type: 'error', code: 'invalid_message', message: 'the frame is not JSON' } }];
    expect(checkRun(transcript, RUN)).toEqual([{ rule: 'error-frame', message: 'frame 7: the service sent an error: invalid_message: the frame is not JSON' }]);
  });

  test("an error of another run is not this run's", () => {
    const transcript = [...validRun(), { at: 500, frame: { type: 'error', code: 'run_failed', message: 'x', run_id: 'run-2' } }];
    expect(checkRun(transcript, RUN)).toEqual([]);
  });

  test('every rule of a run has a row above', () => {
    expect(new Set(rules.map(({ rule }) => rule))).toEqual(
      new Set([
        'missing-event',
        'started-not-first',
        'started-not-once',
        'closing-before-completed',
        'tool-before-thinking',
        'completed-not-once',
        'completed-not-last',
        'tool-not-completed',
        'tool-completed-unannounced',
        'foreign-user',
        'foreign-thread',
        'unbound-event',
        'invalid-fields',
        'error-frame',
        'unknown-event',
      ]),
    );
  });

  test('a run with no frames misses every critical event', () => {
    expect(checkRun([], RUN)).toEqual(
      ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'].map((type) => ({
        rule: 'missing-event',
        message: `${type} never arrived`,
      })),
    );
  });

  test('frames of other runs are ignored, however broken they are', () => {
    const otherRun = { runId: 'run-2', userId: 'user-2', threadId: 'thread-2' };
    const broken = [runEvent(120, 'agent_completed', {}, otherRun), runEvent(130, 'error', { code: 'X', message: 'y' }, otherRun)];
    const transcript = [welcome(10), ...inserted(validRun(), AT.executing, ...broken)];

    expect(checkRun(transcript, RUN)).toEqual([]);
  });

  test('the thread is not checked when the expectation names none', () => {
    const transcript = patched(validRun(), AT.thinking, { thread_id: 'thread-2' });

    expect(checkRun(transcript, { runId: RUN.runId, userId: RUN.userId })).toEqual([]);
  });

  test('each field rule names the field, what it must be and what came', () => {
    let transcript = patched(validRun(), AT.started, { run_id: RUN.runId, agent_name: '' });
    transcript = patched(transcript, AT.executing, { tool_args: ['1 + 1'] });
    transcript = patched(transcript, AT.toolCompleted, { results: undefined, duration_ms: -1 });

    expect(checkRun(transcript, RUN)).toEqual([
      { rule: 'invalid-fields', message: 'frame 1 (agent_started): agent_name must be a non-empty string (got string, empty)' },
      { rule: 'invalid-fields', message: 'frame 3 (tool_executing): tool_args must be an object (got array)' },
      { rule: 'invalid-fields', message: 'frame 4 (tool_completed): results is required; duration_ms must be a number ≥ 0 (got number)' },
    ]);
  });

  // Bug: events.ts accepts any string Date.parse understands ('Thu, 01 Jan 2026 00:00:00 GMT', even '42'),
  // though its message and the contract say ISO 8601.
  test('a timestamp that is not ISO 8601 is reported as invalid', () => {
    const transcript = patched(validRun(), AT.started, { timestamp: 'Thu, 01 Jan 2026 00:00:00 GMT' });

    expect(checkRun(transcript, RUN)).toEqual([{ rule: 'invalid-fields', message: 'frame 1 (agent_started): timestamp must be an ISO 8601 timestamp' }]);
  });
});

test.describe('checkRun with the settings of a production-shaped service', () => {
  const PRODUCTION: ProtocolProfile = { ...CONTRACT_PROTOCOL, eventFields: 'essential', extraRunEvents: ['agent_response_chunk'] };
  /** The valid run as such a service sends it: epoch timestamps, no user id, execution_time, an object answer, streamed chunks. */
  function productionRun(): TranscriptEntry[] {
    const run: TranscriptEntry[] = validRun().map(({ at, frame }) => {
      const { duration_ms: _duration, ...rest } = frame;
      return {
        at,
        frame: { ...rest, user_id: null, timestamp: 1_767_225_600 + at / 1000, ...(frame.type === 'tool_completed' ? { execution_time: 0.06 } : {}) },
      };
    });
    run[AT.completed]!.frame.final_response = { response: 'The result is 5.', status: 'success' };
    return inserted(run, AT.completed, {
      at: 350,
      frame: { type: 'agent_response_chunk', chunk: 'The result', run_id: RUN.runId, thread_id: RUN.threadId, user_id: null },
    });
  }

  test('passes when its events are bound by the thread the harness chose', () => {
    expect(checkRun(productionRun(), RUN, PRODUCTION)).toEqual([]);
  });

  test('the same run read with the strict contract rules is reported, field by field', () => {
    const rules = checkRun(productionRun(), RUN, CONTRACT_PROTOCOL).map(({ rule }) => rule);
    expect(new Set(rules)).toEqual(new Set(['unknown-event', 'invalid-fields']));
  });

  test('epoch milliseconds are accepted, a timestamp of another era is not', () => {
    const millis = patched(productionRun(), AT.started, { timestamp: 1_767_225_600_000 });
    expect(checkRun(millis, RUN, PRODUCTION)).toEqual([]);
    const nonsense = patched(productionRun(), AT.started, { timestamp: 42 });
    expect(checkRun(nonsense, RUN, PRODUCTION)).toEqual([
      { rule: 'invalid-fields', message: 'frame 1 (agent_started): timestamp must be an ISO 8601 timestamp, epoch seconds or epoch milliseconds' },
    ]);
  });

  test('a listed extra event is outside the order rules, but must still belong to the run', () => {
    const afterCompletion = [
      ...productionRun(),
      { at: 500, frame: { type: 'agent_response_chunk', chunk: '.', run_id: RUN.runId, thread_id: 'thread-2', user_id: null } },
    ];
    expect(checkRun(afterCompletion, RUN, PRODUCTION)).toEqual([
      { rule: 'foreign-thread', message: 'frame 8 (agent_response_chunk) belongs to thread thread-2, not thread-1' },
      {
        rule: 'unbound-event',
        message:
          "frame 8 (agent_response_chunk) names no user and not this turn's thread: isolation cannot be judged for it; a service whose events carry no user id must echo the thread id the harness sends (START_MESSAGE with {{thread_id}})",
      },
    ]);
  });

  test('a tool pair still needs its execution id', () => {
    const transcript = patched(productionRun(), AT.toolCompleted, { execution_id: undefined });
    expect(checkRun(transcript, RUN, PRODUCTION).map(({ rule }) => rule)).toEqual(['tool-completed-unannounced', 'tool-not-completed', 'invalid-fields']);
  });
});

test.describe('checkOwnership', () => {
  test('a socket carrying only its user’s frames has no leaks', () => {
    expect(checkOwnership([welcome(10), ...validRun()], RUN.userId)).toEqual([]);
  });

  test('a frame whose user id is null names no user', () => {
    expect(checkOwnership([{ at: 10, frame: { type: 'heartbeat', user_id: null } }], RUN.userId)).toEqual([]);
  });

  test('frames of another user are reported, and frames naming no user are ignored', () => {
    const otherRun = { runId: 'run-2', userId: 'user-2', threadId: 'thread-2' };
    const transcript = [
      welcome(10),
      { at: 50, frame: { type: 'pong' } },
      ...validRun(),
      runEvent(500, 'agent_started', { agent_name: 'reference-agent', task_description: 'secret' }, otherRun),
      runEvent(520, 'agent_completed', { status: 'completed', final_response: 'secret' }, otherRun),
    ];

    expect(checkOwnership(transcript, RUN.userId)).toEqual([
      { rule: 'foreign-user', message: 'agent_started of run run-2 belongs to user user-2, not user-1' },
      { rule: 'foreign-user', message: 'agent_completed of run run-2 belongs to user user-2, not user-1' },
    ]);
  });
});

test.describe('formatTranscript', () => {
  test('an empty transcript reads "(no frames)"', () => {
    expect(formatTranscript([])).toBe('  (no frames)');
  });

  test('each frame is one line with its index, arrival time, type and ids', () => {
    const transcript: TranscriptEntry[] = [welcome(12.4), validRun()[AT.started]!, validRun()[AT.executing]!, { at: 1234.5, frame: { type: 'pong' } }];

    expect(formatTranscript(transcript).split('\n')).toEqual([
      '    1      +12ms  connection_established ',
      '    2     +100ms  agent_started          run_id=run-1 user_id=user-1 thread_id=thread-1',
      '    3     +200ms  tool_executing         run_id=run-1 user_id=user-1 thread_id=thread-1 execution_id=exec-1',
      '    4    +1235ms  pong                   ',
    ]);
  });
});
