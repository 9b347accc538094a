import { answerAt } from '../../support/golden-path/answer.ts';
import { normaliseFrame } from '../../support/protocol/normalise.ts';
import type { Envelope } from '../../support/protocol/profile.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { checkOwnership, checkRun, type RunExpectation, type TranscriptEntry, type Violation } from '../../support/protocol/sequence.ts';
import type { RecordedFrame } from '../../support/ws/recording-socket.ts';
import { answerPaths } from './answer-path.ts';
import type { Discovery } from './discovery.ts';
import { eventNameMap, mapEvents, type EventMapping } from './event-map.ts';
import type { RecordedRun } from './run.ts';
import type { DiscoveredSocket } from './socket.ts';

/** Violations that are not a setting to choose but something the service must not do, with their stage. */
const ISOLATION_RULES = new Set(['unbound-event', 'foreign-user', 'foreign-thread']);

/**
 * Reads the recorded run for the settings that describe it: the event names, the other event types, the
 * envelope, the start message, where the answer is, and how strict the field rules can be. The profile
 * is then checked with the harness's own rules on the same run, so what it says is what the smoke run
 * will see; anything those rules still reject is a finding.
 */
export function readRun(run: RecordedRun, socketChoice: DiscoveredSocket, userId: string, discovery: Discovery): ProtocolProfile {
  const ofRun = run.frames.filter(({ frame }) => frame.run_id === run.runId);
  const mapping = readEventNames(run, ofRun, discovery);
  const envelope = readEnvelope(ofRun, socketChoice, discovery);
  const { startMessage, threadId } = readStartMessage(run, ofRun, discovery);
  const answerPath = readAnswerPath(run, ofRun, mapping, discovery);
  const profile: ProtocolProfile = {
    ...CONTRACT_PROTOCOL,
    envelope,
    welcomeTypes: [socketChoice.welcome.type],
    eventNames: eventNameMap(mapping),
    startMessage,
    answerPath: answerPath ?? CONTRACT_PROTOCOL.answerPath,
    extraRunEvents: mapping.extras,
  };
  const checked = judgeEventFields(run, profile, { runId: run.runId, userId, threadId }, discovery);
  reportLatency(run, ofRun, mapping, discovery);
  return checked;
}

function readEventNames(run: RecordedRun, ofRun: readonly RecordedFrame[], discovery: Discovery): EventMapping {
  const mapping = mapEvents(
    run.frames.map(({ frame }) => frame),
    run.runId,
  );
  const counts = new Map<string, number>();
  for (const { frame } of ofRun) counts.set(String(frame.type), (counts.get(String(frame.type)) ?? 0) + 1);
  const sequence = [...counts.entries()].map(([type, count]) => (count > 1 ? `${type} ×${count}` : type)).join(', ');
  const names = eventNameMap(mapping);
  const renamed = Object.entries(names).map(([contract, own]) => `${contract} = ${own} (${mapping.reasons[contract as keyof typeof mapping.reasons]})`);
  const reasons = renamed.length > 0 ? renamed.join(', ') : Object.keys(mapping.names).length > 0 ? "the contract's names" : 'none of the five';
  const missing = mapping.missing.length > 0 ? `; nothing like ${mapping.missing.join(', ')}` : '';
  discovery.observe('event names', missing ? 'not found' : 'found', `the run sent ${sequence}; ${reasons}${missing}`, {
    EVENT_NAME_MAP: JSON.stringify(names),
  });
  if (missing) discovery.find('agent-events', `the run never sent ${mapping.missing.join(', ')} under any name the harness recognises (it sent ${sequence})`);
  discovery.observe('other events in a run', mapping.extras.length > 0 ? 'found' : 'assumed', mapping.extras.join(', ') || 'none besides the five', {
    RUN_EXTRA_EVENTS: mapping.extras.join(','),
  });
  return mapping;
}

/** One form for the welcome and the run's events is named, so the welcome is checked against it; mixed forms are read with auto. */
function readEnvelope(ofRun: readonly RecordedFrame[], socketChoice: DiscoveredSocket, discovery: Discovery): Envelope | 'auto' {
  const runForms = [...new Set(ofRun.map(({ envelope }) => envelope))];
  const envelope = runForms.length === 1 && runForms[0] === socketChoice.welcome.envelope ? socketChoice.welcome.envelope : 'auto';
  discovery.observe('envelope', 'found', `welcome in the ${socketChoice.welcome.envelope} form, run events in ${runForms.join(' and ')}`, {
    WS_ENVELOPE: envelope,
  });
  return envelope;
}

/**
 * The shape that started the run, keeping the thread id the harness sends when the run echoes it. A
 * service that files the run under a thread of its own is sent none: every event would otherwise read
 * as another conversation's.
 */
function readStartMessage(run: RecordedRun, ofRun: readonly RecordedFrame[], discovery: Discovery): { startMessage: string; threadId: string | undefined } {
  const echoed = ofRun.some(({ frame }) => frame.thread_id === run.turn.threadId);
  const ownThread = ofRun.find(({ frame }) => frame.thread_id !== undefined && frame.thread_id !== null && frame.thread_id !== run.turn.threadId);
  const startMessage = ownThread ? withoutThreadId(run.template) : run.template;
  const thread = ownThread
    ? `its events name a thread of the service's own (${String(ownThread.frame.thread_id)}), so none is sent`
    : echoed
      ? 'the thread id sent came back in its events'
      : 'its events carry no thread id';
  const tried = [...run.refusedShapes, `${run.shape} started run ${String(run.runId)}`].join('; ');
  discovery.observe('start message', 'found', `${tried}; the run was found by ${run.foundBy}; ${thread}`, { START_MESSAGE: startMessage });
  return { startMessage, threadId: ownThread ? undefined : run.turn.threadId };
}

function readAnswerPath(run: RecordedRun, ofRun: readonly RecordedFrame[], mapping: EventMapping, discovery: Discovery): string | undefined {
  const completionName = mapping.names.agent_completed;
  const completion = [...ofRun].reverse().find(({ frame }) => frame.type === completionName)?.frame;
  const [answerPath, ...others] = completion ? answerPaths(completion, run.prompt.answer, run.prompt.prompt) : [];
  if (completion && answerPath) {
    const elsewhere = others.length > 0 ? ` (also at ${others.join(', ')})` : '';
    discovery.observe('answer', 'found', `${completionName} carries "${answerAt(completion, answerPath).slice(0, 80)}" at ${answerPath}${elsewhere}`, {
      ANSWER_PATH: answerPath,
    });
    return answerPath;
  }
  const carriers = [...new Set(ofRun.filter(({ raw }) => run.prompt.answer.test(JSON.stringify(raw))).map(({ frame }) => String(frame.type)))];
  discovery.observe(
    'answer',
    'not found',
    `${completionName ?? 'no completing event'} carries no text with ${run.prompt.expectedAnswer}${carriers.length > 0 ? ` (only ${carriers.join(', ')} do)` : ''}`,
  );
  discovery.find('ai-response', `the run's completing event does not carry this run's answer (${run.prompt.expectedAnswer}, for "${run.prompt.prompt}")`);
  return undefined;
}

/**
 * EVENT_FIELDS: strict when the run passes the contract's field rules, essential when only those fail
 * and the essential ones pass. Whatever the chosen rules still reject (events bound to nobody, another
 * user's frames, order) is a finding, not a reason to relax anything further.
 */
function judgeEventFields(run: RecordedRun, strict: ProtocolProfile, expectation: RunExpectation, discovery: Discovery): ProtocolProfile {
  const essential: ProtocolProfile = { ...strict, eventFields: 'essential' };
  const strictViolations = checkRun(transcriptUnder(run, strict), expectation, strict);
  const essentialViolations = checkRun(transcriptUnder(run, essential), expectation, essential);
  const fieldProblems = (violations: readonly Violation[]) => violations.filter(({ rule }) => rule === 'invalid-fields');
  const relaxed = fieldProblems(strictViolations).length > 0 && fieldProblems(essentialViolations).length === 0;
  const profile = relaxed ? essential : strict;
  const saw =
    fieldProblems(strictViolations).length === 0
      ? "every field the contract names, in the contract's types"
      : `the strict rules fail (${distinctProblems(fieldProblems(strictViolations)).join('; ')})${relaxed ? ', the essential ones pass' : ''}`;
  discovery.observe('event fields', 'found', saw, { EVENT_FIELDS: profile.eventFields });

  // A missing event is already a finding of the event names.
  for (const violation of (relaxed ? essentialViolations : strictViolations).filter(({ rule }) => rule !== 'missing-event')) {
    discovery.find(ISOLATION_RULES.has(violation.rule) ? 'isolation' : 'agent-events', `[${violation.rule}] ${violation.message}`);
  }
  for (const leak of checkOwnership(transcriptUnder(run, profile), expectation.userId)) discovery.find('isolation', leak.message);
  discovery.record('run as read', { profile, strictViolations, essentialViolations });
  return profile;
}

function reportLatency(run: RecordedRun, ofRun: readonly RecordedFrame[], mapping: EventMapping, discovery: Discovery): void {
  const completedAt = ofRun.find(({ frame }) => frame.type === mapping.names.agent_completed)?.at;
  const since = (at: number | undefined) => (at === undefined ? '–' : `${Math.round(at - run.turn.sentAt)} ms`);
  discovery.observe(
    'latency',
    'assumed',
    `the default thresholds are kept (LATENCY_*_MS); this run: welcome ${Math.round(run.welcomeFrame.at)} ms after connecting, first event ${since(ofRun[0]?.at)} and completion ${since(completedAt)} after the prompt`,
  );
}

/** The field problems of invalid-fields violations, each once (`user_id must be …`), without the frame they were found in. */
function distinctProblems(violations: readonly Violation[]): string[] {
  return [...new Set(violations.flatMap(({ message }) => message.replace(/^frame \d+ \([^)]*\): /, '').split('; ')))];
}

/** The run's frames read as the smoke run will read them under `profile` (names mapped, envelope lifted). */
function transcriptUnder(run: RecordedRun, profile: ProtocolProfile): TranscriptEntry[] {
  return run.frames.map(({ at, raw }) => ({ at, frame: normaliseFrame(raw, profile).fields }));
}

/** The template without the fields that carry {{thread_id}}. */
function withoutThreadId(template: string): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== '{{thread_id}}')
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  return JSON.stringify(strip(JSON.parse(template)));
}
