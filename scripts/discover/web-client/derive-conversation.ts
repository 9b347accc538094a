import { answerPattern } from '../../../support/golden-path/nonce.ts';
import { fieldProblems, isCriticalEvent } from '../../../support/protocol/events.ts';
import { normaliseFrame } from '../../../support/protocol/normalise.ts';
import { CONTRACT_PROTOCOL, type Envelope, type ProtocolProfile } from '../../../support/protocol/profile.ts';
import { answerPaths } from '../answer-path.ts';
import type { Finding } from '../discovery.ts';
import { eventNameMap, mapEvents } from '../event-map.ts';
import { OMIT, stringLeaves, rewriteLeaves, type Json } from './json-paths.ts';
import { found, type Learned } from './learned.ts';
import { contractView, frameShape, lifted, parseFrames, realType, type FrameShape, type ParsedFrame } from './frame-shape.ts';
import type { RecordedWebSocket, TypedPrompt, WebClientRecording } from './recording.ts';

/** Frames that keep a connection alive or report a problem: never a welcome, a handshake's answer or an event. */
const HOUSEKEEPING = /heartbeat|ping|pong|error/i;
const STREAMED = /chunk|delta|partial|stream/i;
const ID_LIKE = /^[\w-]{8,}$/;
/** A client's clock (ISO text, or epoch seconds or milliseconds): no part of a template. */
const looksLikeTime = (leaf: Json) =>
  (typeof leaf === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(leaf)) || (typeof leaf === 'number' && leaf > 1e9 && leaf < 1e14);

export interface LearnedConversation extends Learned {
  shape: FrameShape;
  welcomeType: string | undefined;
}

/**
 * What the page and the service said on the socket: the frame shape (type key, wrappers, id names), the
 * welcome, a handshake (every frame the page sent before its prompt, and the server frame it answered), the
 * start message as a template, and the run: its events by their role, its extra and closing events, whether
 * several agents start, and where the answer is (the product's digits, in the last event that holds them).
 */
export function deriveConversation(recording: WebClientRecording, socket: RecordedWebSocket, userId: string | undefined): LearnedConversation {
  const frames = parseFrames(socket.frames);
  const shape = frameShape(frames);
  const typeOf = (frame: ParsedFrame) => realType(frame.raw, shape);
  const indexOf = (typed: TypedPrompt | undefined) =>
    typed === undefined
      ? -1
      : frames.findIndex(({ direction, raw }) => direction === 'sent' && JSON.stringify(raw).includes(JSON.stringify(typed.prompt).slice(1, -1)));
  // The handshake and the welcome come before the first prompt; the start message and the run are the last prompt's,
  // as a page names its conversation's thread only once it has one.
  const firstPromptIndex = indexOf(recording.typed.prompts[0]);
  const last = recording.typed.prompts.at(-1);
  const promptIndex = indexOf(last);
  const before = firstPromptIndex < 0 ? frames : frames.slice(0, firstPromptIndex);
  const observations: Learned['observations'] = [];
  const notLearned: Learned['notLearned'] = [];
  const findings: Finding[] = [];

  observations.push(
    found('frame shape', describeShape(shape), {
      WS_TYPE_KEY: shape.typeKey,
      WS_WRAPPERS: Object.entries(shape.wrappers)
        .map(([wrapper, key]) => `${wrapper}:${key}`)
        .join(','),
      WS_ID_FIELDS: JSON.stringify(shape.idFields),
    }),
  );

  const handshake = deriveHandshake(before, shape);
  observations.push(...handshake.observations);
  notLearned.push(...handshake.notLearned);
  const welcome = before.find(
    (frame) => frame.direction === 'received' && !HOUSEKEEPING.test(typeOf(frame)) && frame !== handshake.opener && frame !== handshake.done,
  );
  const welcomeType = welcome && typeOf(welcome);
  if (welcome) {
    observations.push(found('welcome', `the first frame of the socket's own was ${welcomeType}`, { WS_WELCOME_TYPES: welcomeType! }));
    const named = lifted(contractView(welcome.raw, shape)).user_id;
    if (userId !== undefined && named !== undefined && named !== null && named !== userId) {
      findings.push({ stage: 'security', what: `the welcome names user ${String(named)}, but the page signed in as user ${userId}` });
    }
  } else notLearned.push({ settings: ['WS_WELCOME_TYPES'], why: 'the service sent nothing before the prompt but housekeeping' });

  if (promptIndex < 0 || !last) {
    notLearned.push({ settings: ['START_MESSAGE', 'EVENT_NAME_MAP', 'ANSWER_PATH'], why: 'the typed prompt went over no socket frame' });
    return { observations, notLearned, findings, shape, welcomeType };
  }
  const prompt = frames[promptIndex]!;
  const after = frames.slice(promptIndex + 1).filter(({ direction }) => direction === 'received');
  const run = deriveRun(last, after, shape, userId);
  observations.push(...run.observations);
  notLearned.push(...run.notLearned);
  findings.push(...(run.findings ?? []));
  // One form for the welcome and the run's events is named, so that the welcome is checked against it; mixed forms are read with auto.
  const forms = [...new Set([...(welcome ? [normaliseFrame(contractView(welcome.raw, shape)).envelope] : []), ...run.envelopes])];
  observations.push(
    found('envelope', `the welcome and the run's events came in the ${forms.join(' and ')} form`, { WS_ENVELOPE: forms.length === 1 ? forms[0]! : 'auto' }),
  );

  const start = startTemplate(prompt.raw, last.prompt, handshake.opener?.raw, run.threadId);
  observations.push(found('start message', `the page sent its prompt as ${start.described}`, { START_MESSAGE: JSON.stringify(start.template) }));
  return { observations, notLearned, findings, shape, welcomeType };
}

function describeShape(shape: FrameShape): string {
  const wrappers = Object.entries(shape.wrappers).map(([wrapper, key]) => `${wrapper} frames carry their real type under ${key}`);
  const ids = Object.entries(shape.idFields).map(([contract, name]) => `${contract} is ${name}`);
  return [`every frame names its type under "${shape.typeKey}"`, ...wrappers, ids.length > 0 ? ids.join(', ') : "ids under the contract's names"].join('; ');
}

/**
 * A handshake: the first frame the page sent before its prompt, answering the last server frame whose
 * values it repeats; those values become `{{handshake.<path>}}`, and the next server frame is the one awaited.
 */
function deriveHandshake(before: readonly ParsedFrame[], shape: FrameShape): Learned & { opener: ParsedFrame | undefined; done?: ParsedFrame } {
  const sent = before.filter((frame) => frame.direction === 'sent' && !HOUSEKEEPING.test(realType(frame.raw, shape)));
  const reply = sent[0];
  if (!reply) return { observations: [], notLearned: [], opener: undefined };
  const index = before.indexOf(reply);
  const repeated = (frame: ParsedFrame) => {
    const values = new Set(stringLeaves(frame.raw).map(({ text }) => text));
    return stringLeaves(reply.raw).some(({ text }) => ID_LIKE.test(text) && values.has(text));
  };
  const opener = before
    .slice(0, index)
    .reverse()
    .find((frame) => frame.direction === 'received' && repeated(frame));
  if (!opener) {
    return {
      observations: [],
      notLearned: [
        { settings: ['HANDSHAKE_FRAME', 'HANDSHAKE_REPLY'], why: `the page sent ${realType(reply.raw, shape)} before its prompt, repeating no server frame` },
      ],
      opener: undefined,
    };
  }
  const template = rewriteLeaves(reply.raw, (leaf) => (looksLikeTime(leaf) ? OMIT : (handshakeReference(leaf, opener.raw) ?? undefined)));
  // The confirmation repeats the reply's values, as the reply repeated the opening's: a welcome may come in between.
  const done = before.slice(index + 1).find((frame) => frame.direction === 'received' && repeated(frame));
  const others =
    sent.length > 1
      ? `; it also sent ${sent
          .slice(1)
          .map((frame) => realType(frame.raw, shape))
          .join(', ')}, which no setting expresses`
      : '';
  return {
    observations: [
      found(
        'handshake',
        `the service opened with ${realType(opener.raw, shape)}, the page answered ${realType(reply.raw, shape)} with its values${done ? ` and waited for ${realType(done.raw, shape)}` : ''}${others}`,
        {
          HANDSHAKE_FRAME: realType(opener.raw, shape),
          HANDSHAKE_REPLY: JSON.stringify(template),
          ...(done ? { HANDSHAKE_DONE: realType(done.raw, shape) } : {}),
        },
      ),
    ],
    notLearned: [],
    opener,
    done,
  };
}

/** `{{handshake.<path>}}` when the leaf is an id the handshake's opening frame holds at <path>. */
function handshakeReference(leaf: Json, opener: Record<string, Json> | undefined): string | undefined {
  if (opener === undefined || typeof leaf !== 'string' || !ID_LIKE.test(leaf)) return undefined;
  const at = stringLeaves(opener).find(({ text }) => text === leaf);
  return at && `{{handshake.${at.path}}}`;
}

/**
 * The prompt frame as START_MESSAGE: the typed text is {{text}}; an id from the handshake is taken from it;
 * the thread id the run's events carry is {{thread_id}}; any other id the page made is {{request_id}}; the
 * page's clock is left out.
 */
function startTemplate(
  raw: Record<string, Json>,
  text: string,
  opener: Record<string, Json> | undefined,
  threadId: unknown,
): { template: Json; described: string } {
  const roles: string[] = [];
  const template = rewriteLeaves(raw, (leaf, path) => {
    if (leaf === text) return (roles.push(`the text at ${path}`), '{{text}}');
    if (looksLikeTime(leaf)) return (roles.push(`its clock at ${path} left out`), OMIT);
    const fromHandshake = handshakeReference(leaf, opener);
    if (fromHandshake) return (roles.push(`${path} from the handshake`), fromHandshake);
    if (typeof leaf === 'string' && ID_LIKE.test(leaf) && /\d/.test(leaf)) {
      if (leaf === threadId) return (roles.push(`its thread id at ${path}`), '{{thread_id}}');
      return (roles.push(`an id of its own at ${path}`), '{{request_id}}');
    }
    return undefined;
  });
  return { template, described: roles.join(', ') || 'a constant frame' };
}

/**
 * The run the prompt started: the frames after it that carry the first run id seen, up to the last event
 * that holds the product's digits (its completion); events after that close the run.
 */
function deriveRun(
  typed: TypedPrompt,
  after: readonly ParsedFrame[],
  shape: FrameShape,
  userId: string | undefined,
): Learned & { threadId: unknown; envelopes: Envelope[] } {
  const views = after.map((frame) => lifted(contractView(frame.raw, shape)));
  const runId = views.find((view) => view.run_id !== undefined && view.run_id !== null)?.run_id;
  const ofRun = after.map((frame, index) => ({ frame, view: views[index]! })).filter(({ view }) => view.run_id === runId && runId !== undefined);
  if (ofRun.length === 0) {
    return {
      observations: [],
      notLearned: [{ settings: ['EVENT_NAME_MAP', 'ANSWER_PATH'], why: 'no frame after the prompt named a run' }],
      threadId: undefined,
      envelopes: [],
    };
  }
  const answer = answerPattern(typed.expectedAnswer);
  const carriesAnswer = ({ view }: { view: Record<string, Json> }) => !STREAMED.test(String(view.type)) && answerPaths(view, answer, typed.prompt).length > 0;
  const completionIndex = ofRun.findLastIndex(carriesAnswer);
  const untilCompletion = completionIndex < 0 ? ofRun : ofRun.slice(0, completionIndex + 1);
  const closing = completionIndex < 0 ? [] : [...new Set(ofRun.slice(completionIndex + 1).map(({ view }) => String(view.type)))];
  const mapping = mapEvents(
    untilCompletion.map(({ view }) => view),
    runId,
  );
  const names = eventNameMap(mapping);
  const starts = untilCompletion.filter(({ view }) => view.type === (mapping.names.agent_started ?? 'agent_started')).length;
  const sequence = ofRun.map(({ view }) => String(view.type)).join(', ');
  const observations: Learned['observations'] = [
    found('event names', `the run sent ${sequence}`, { EVENT_NAME_MAP: JSON.stringify(names) }),
    found('other events in a run', `${mapping.extras.join(', ') || 'none besides the five'}; after the answer: ${closing.join(', ') || 'nothing'}`, {
      RUN_EXTRA_EVENTS: mapping.extras.join(','),
      RUN_CLOSING_EVENTS: closing.join(','),
      RUN_SUB_AGENTS: String(starts > 1),
    }),
  ];
  const notLearned: Learned['notLearned'] = [];
  if (mapping.missing.length > 0) notLearned.push({ settings: ['EVENT_NAME_MAP'], why: `nothing in the run looked like ${mapping.missing.join(', ')}` });

  const profile: ProtocolProfile = { ...CONTRACT_PROTOCOL, eventNames: names };
  const completion = completionIndex < 0 ? undefined : normaliseFrame(contractView(ofRun[completionIndex]!.frame.raw, shape), profile).fields;
  const [answerPath] = completion ? answerPaths(completion, answer, typed.prompt) : [];
  if (answerPath) observations.push(found('answer', `${String(completion!.type)} holds ${typed.expectedAnswer} at ${answerPath}`, { ANSWER_PATH: answerPath }));
  else notLearned.push({ settings: ['ANSWER_PATH'], why: `no event of the run held ${typed.expectedAnswer}` });

  const normalised = untilCompletion.map(({ frame }) => normaliseFrame(contractView(frame.raw, shape), profile));
  const envelopes = [...new Set(normalised.map(({ envelope }) => envelope))];
  const problems = (eventFields: ProtocolProfile['eventFields']) =>
    normalised.flatMap(({ type, fields }) =>
      isCriticalEvent(type) ? fieldProblems(type, fields, { ...profile, eventFields }).map((problem) => `${type}: ${problem}`) : [],
    );
  const eventFields = problems('strict').length === 0 ? 'strict' : 'essential';
  observations.push(
    found(
      'event fields',
      eventFields === 'strict' ? 'every field the contract names' : `the strict rules fail (${[...new Set(problems('strict'))].slice(0, 3).join('; ')})`,
      {
        EVENT_FIELDS: eventFields,
      },
    ),
  );
  const findings: Finding[] = [...new Set(problems(eventFields))].map((problem) => ({ stage: 'agent-events', what: `the page's run: ${problem}` }));
  const foreign = normalised.filter(
    ({ fields }) => userId !== undefined && fields.user_id !== undefined && fields.user_id !== null && fields.user_id !== userId,
  );
  if (foreign.length > 0)
    findings.push({ stage: 'isolation', what: `${foreign.length} event(s) of the page's run name user ${String(foreign[0]!.fields.user_id)}, not ${userId}` });
  return { observations, notLearned, findings, envelopes, threadId: ofRun.find(({ view }) => view.thread_id !== undefined)?.view.thread_id };
}
