import { answerAt } from '../../support/golden-path/answer.ts';
import type { Envelope } from '../../support/protocol/normalise.ts';
import { normaliseFrame } from '../../support/protocol/normalise.ts';
import { CONTRACT_PROTOCOL, type ProtocolProfile } from '../../support/protocol/profile.ts';
import { checkOwnership, checkRun, type TranscriptEntry, type Violation } from '../../support/protocol/sequence.ts';
import { answerPaths } from './answer-path.ts';
import type { Discovery } from './discovery.ts';
import { eventNameMap, mapEvents } from './event-map.ts';
import type { RecordedRun } from './run.ts';
import type { DiscoveredSocket } from './socket.ts';

/** Violations that are not a setting to choose but something the service must not do, with their stage. */
const ISOLATION_RULES = new Set(['unbound-event', 'foreign-user', 'foreign-thread']);

/**
 * Reads the recorded run for the settings that describe it: the event names, the other event types, the
 * envelope, where the answer is, whether the thread id the harness sends comes back, and how strict the
 * field rules can be. The profile is then checked with the harness's own rules on the same run, so what
 * it says is what the smoke run will see; anything those rules still reject is a finding.
 */
export function readRun(run: RecordedRun, socketChoice: DiscoveredSocket, userId: string, discovery: Discovery): ProtocolProfile {
  const listened = run.frames.map(({ frame }) => frame);
  const mapping = mapEvents(listened, run.runId);
  const ofRun = run.frames.filter(({ frame }) => frame.run_id === run.runId);
  const counts = ofRun.reduce((all, { frame }) => all.set(String(frame.type), (all.get(String(frame.type)) ?? 0) + 1), new Map<string, number>());
  const sequence = [...counts.entries()].map(([type, count]) => (count > 1 ? `${type} ×${count}` : type)).join(', ');
  const names = eventNameMap(mapping);
  const renamed = Object.entries(names).map(([contract, own]) => `${contract} = ${own} (${mapping.reasons[contract as keyof typeof mapping.reasons]})`);
  const reasons = renamed.length > 0 ? renamed : [Object.keys(mapping.names).length > 0 ? "the contract's names" : 'none of the five'];
  discovery.observe('event names', mapping.missing.length === 0 ? 'found' : 'not found', `the run sent ${sequence}; ${reasons.join(', ')}${mapping.missing.length > 0 ? `; nothing like ${mapping.missing.join(', ')}` : ''}`, {
    EVENT_NAME_MAP: JSON.stringify(names),
  });
  if (mapping.missing.length > 0) discovery.find('agent-events', `the run never sent ${mapping.missing.join(', ')} under any name the harness recognises (it sent ${sequence})`);
  discovery.observe('other events in a run', mapping.extras.length > 0 ? 'found' : 'assumed', mapping.extras.length > 0 ? mapping.extras.join(', ') : 'none besides the five', {
    RUN_EXTRA_EVENTS: mapping.extras.join(','),
  });

  const envelope = envelopeOf(ofRun.map(({ envelope: form }) => form), socketChoice.welcome.envelope);
  discovery.observe('envelope', 'found', `welcome in the ${socketChoice.welcome.envelope} form, run events in ${[...new Set(ofRun.map(({ envelope: form }) => form))].join(' and ')}`, { WS_ENVELOPE: envelope });

  const threadEchoed = ofRun.some(({ frame }) => frame.thread_id === run.turn.threadId);
  const ownThread = ofRun.find(({ frame }) => frame.thread_id !== undefined && frame.thread_id !== null && frame.thread_id !== run.turn.threadId);
  // A service that files the run under a thread of its own would fail every run on "foreign thread": it is not sent one.
  const startMessage = ownThread ? withoutThreadId(run.template) : run.template;
  const threadId = ownThread ? undefined : run.turn.threadId;
  discovery.observe(
    'start message',
    'found',
    `${[...run.refusedShapes, `${run.shape} started run ${String(run.runId)}`].join('; ')}; the run was found by ${run.foundBy}; ${threadEchoed && !ownThread ? 'the thread id sent came back in its events' : ownThread ? `its events name a thread of the service's own (${String(ownThread.frame.thread_id)}), so none is sent` : 'its events carry no thread id'}`,
    { START_MESSAGE: startMessage },
  );

  const completionName = mapping.names.agent_completed;
  const completion = [...ofRun].reverse().find(({ frame }) => frame.type === completionName)?.frame;
  const paths = completion ? answerPaths(completion, run.prompt.answer, run.prompt.prompt) : [];
  const answerPath = paths[0];
  if (completion && answerPath) {
    discovery.observe('answer', 'found', `${completionName} carries "${answerAt(completion, answerPath).slice(0, 80)}" at ${answerPath}${paths.length > 1 ? ` (also at ${paths.slice(1).join(', ')})` : ''}`, {
      ANSWER_PATH: answerPath,
    });
  } else {
    const chunks = ofRun.filter(({ raw }) => run.prompt.answer.test(JSON.stringify(raw))).map(({ frame }) => String(frame.type));
    discovery.observe('answer', 'not found', `${completionName ?? 'no completing event'} carries no text with ${run.prompt.expectedAnswer}${chunks.length > 0 ? ` (only ${[...new Set(chunks)].join(', ')} do)` : ''}`);
    discovery.find('ai-response', `the run's completing event does not carry this run's answer (${run.prompt.expectedAnswer}, for "${run.prompt.prompt}")`);
  }

  const strict: ProtocolProfile = {
    ...CONTRACT_PROTOCOL,
    envelope,
    welcomeTypes: [socketChoice.welcome.type],
    eventNames: names,
    startMessage,
    answerPath: answerPath ?? CONTRACT_PROTOCOL.answerPath,
    extraRunEvents: mapping.extras,
  };
  const expectation = { runId: run.runId, userId, threadId };
  const strictViolations = checkRun(transcriptUnder(run, strict), expectation, strict);
  const essential: ProtocolProfile = { ...strict, eventFields: 'essential' };
  const essentialViolations = checkRun(transcriptUnder(run, essential), expectation, essential);
  const fieldProblems = (violations: Violation[]) => violations.filter((violation) => violation.rule === 'invalid-fields');
  const profile = fieldProblems(strictViolations).length > 0 && fieldProblems(essentialViolations).length === 0 ? essential : strict;
  const strictSaw =
    fieldProblems(strictViolations).length === 0
      ? "every field the contract names, in the contract's types"
      : `the strict rules fail (${distinctProblems(fieldProblems(strictViolations)).join('; ')})${profile === essential ? ', the essential ones pass' : ''}`;
  discovery.observe('event fields', 'found', strictSaw, { EVENT_FIELDS: profile.eventFields });

  const remaining = profile === essential ? essentialViolations : strictViolations;
  for (const violation of remaining.filter(({ rule }) => rule !== 'missing-event')) {
    discovery.find(ISOLATION_RULES.has(violation.rule) ? 'isolation' : 'agent-events', `[${violation.rule}] ${violation.message}`);
  }
  for (const leak of checkOwnership(transcriptUnder(run, profile), userId)) discovery.find('isolation', leak.message);
  const completedAt = ofRun.find(({ frame }) => frame.type === completionName)?.at;
  const since = (at: number | undefined) => (at === undefined ? '–' : `${Math.round(at - run.turn.sentAt)} ms`);
  discovery.observe(
    'latency',
    'assumed',
    `the default thresholds are kept (LATENCY_*_MS); this run: welcome ${Math.round(run.welcomeFrame.at)} ms after connecting, first event ${since(ofRun[0]?.at)} and ${completionName ?? 'completion'} ${since(completedAt)} after the prompt`,
  );
  discovery.record('run as read', { mapping, envelope, answerPaths: paths, strictViolations, essentialViolations });
  return profile;
}

/** The field problems of invalid-fields violations, each once (`user_id must be …`), without the frame they were found in. */
function distinctProblems(violations: readonly Violation[]): string[] {
  return [...new Set(violations.flatMap(({ message }) => message.replace(/^frame \d+ \([^)]*\): /, '').split('; ')))];
}

/** The run's frames read as the smoke run will read them under `profile` (names mapped, envelope lifted). */
function transcriptUnder(run: RecordedRun, profile: ProtocolProfile): TranscriptEntry[] {
  return run.frames.map(({ at, raw }) => ({ at, frame: normaliseFrame(raw, profile).fields }));
}

/** One form for the welcome and the run's events is named, so the welcome is checked against it; mixed forms are read with auto. */
function envelopeOf(runForms: readonly Envelope[], welcomeForm: Envelope): Envelope | 'auto' {
  const forms = new Set([...runForms, welcomeForm]);
  return forms.size === 1 ? welcomeForm : 'auto';
}

/** The template without the fields that carry {{thread_id}}. */
export function withoutThreadId(template: string): string {
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
