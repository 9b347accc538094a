import { z } from 'zod';
import { CRITICAL_EVENTS } from '../../protocol/events.ts';
import { CONTRACT_START_MESSAGE } from '../../protocol/profile.ts';
import { commaList, dottedPath, frameType, jsonMap, jsonTemplate, setting } from './schemas.ts';

const ID_FIELDS = ['run_id', 'thread_id', 'user_id', 'execution_id', 'request_id', 'connection_id'] as const;
const FRAME_TYPES = /^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/;

/** The shape of the service's frames: where their type, fields and ids are, what they are called, and what a socket must do before it speaks. */
export const PROTOCOL_SETTINGS = {
  WS_ENVELOPE: setting({
    at: 'protocol.envelope',
    schema: z.enum(['auto', 'root', 'payload', 'data'], 'must be one of auto, root, payload, data').default('auto'),
    fix: 'set WS_ENVELOPE to where the service puts event fields: root, payload, data, or auto (any of them)',
    differs: ({ protocol }) => (protocol.envelope === 'auto' ? undefined : `event fields wrapped in ${protocol.envelope}`),
  }),
  WS_TYPE_KEY: setting({
    at: 'protocol.typeKey',
    schema: z
      .string()
      .regex(/^[\w-]+$/, 'must be a field name, e.g. event')
      .default('type'),
    fix: "set WS_TYPE_KEY to the field that holds a frame's type, e.g. event",
    differs: ({ protocol }) => (protocol.typeKey === 'type' ? undefined : `frame type under ${protocol.typeKey}`),
  }),
  WS_WRAPPERS: setting({
    at: 'protocol.wrappers',
    schema: commaList(/^\s*[\w.:-]+:[\w-]+(\s*,\s*[\w.:-]+:[\w-]+)*\s*$/, 'must be a comma list of wrapper:key, e.g. system_message:event')
      .transform((pairs) => Object.fromEntries(pairs.map((pair) => pair.split(':') as [string, string])))
      .default({}),
    fix: 'set WS_WRAPPERS to the frame types that carry an event inside, with the key of its type, e.g. system_message:event',
    differs: ({ protocol }) => {
      const wrappers = Object.entries(protocol.wrappers);
      return wrappers.length === 0 ? undefined : `events inside ${wrappers.map(([wrapper, key]) => `${wrapper} (type at ${key})`).join(', ')}`;
    },
  }),
  WS_ID_FIELDS: setting({
    at: 'protocol.idFields',
    schema: jsonMap('{"run_id":"runId","thread_id":"conversationId"}', ID_FIELDS).default({}),
    fix: 'set WS_ID_FIELDS to a JSON object from the contract\'s id fields to the service\'s names, e.g. {"run_id":"runId"}, or unset it',
    differs: ({ protocol }) => {
      const renamed = Object.entries(protocol.idFields);
      return renamed.length === 0 ? undefined : `ids named ${renamed.map(([contract, own]) => `${contract} = ${own}`).join(', ')}`;
    },
  }),
  WS_WELCOME_TYPES: setting({
    at: 'protocol.welcomeTypes',
    schema: commaList(FRAME_TYPES, 'must be a comma list of frame types, e.g. connection_established,connection_ready').default([
      'connection_established',
      'connection_ready',
    ]),
    fix: "set WS_WELCOME_TYPES to the service's first-frame type(s), comma-separated",
    differs: ({ protocol }) =>
      protocol.welcomeTypes.join() === 'connection_established,connection_ready' ? undefined : `welcome frame ${protocol.welcomeTypes.join(' or ')}`,
  }),
  EVENT_NAME_MAP: setting({
    at: 'protocol.eventNames',
    schema: jsonMap('{"agent_started":"run.started"}', [...CRITICAL_EVENTS, 'error']).default({}),
    fix: "set EVENT_NAME_MAP to a JSON object from the contract's event names to the service's, or unset it",
    differs: ({ protocol }) => {
      const renamed = Object.entries(protocol.eventNames);
      return renamed.length === 0 ? undefined : `event names ${renamed.map(([contract, own]) => `${contract} = ${own}`).join(', ')}`;
    },
  }),
  HANDSHAKE_FRAME: setting({
    at: 'protocol.handshake.frame',
    schema: frameType.optional(),
    fix: 'set HANDSHAKE_FRAME to the frame type with which the service opens its handshake, e.g. handshake_response, with HANDSHAKE_REPLY',
    differs: ({ protocol }) =>
      protocol.handshake === undefined
        ? undefined
        : `a handshake: ${protocol.handshake.frame} answered with ${protocol.handshake.reply}${protocol.handshake.done ? `, then ${protocol.handshake.done}` : ''}`,
  }),
  HANDSHAKE_REPLY: setting({
    at: 'protocol.handshake.reply',
    schema: jsonTemplate([]).optional(),
    fix: 'set HANDSHAKE_REPLY to the JSON the client answers the handshake with, {{handshake.<field>}} taken from its frame, with HANDSHAKE_FRAME',
  }),
  HANDSHAKE_DONE: setting({
    at: 'protocol.handshake.done',
    schema: frameType.optional(),
    fix: 'set HANDSHAKE_DONE to the frame type that confirms the handshake, e.g. handshake_complete, or unset it',
  }),
  START_MESSAGE: setting({
    at: 'protocol.startMessage',
    schema: jsonTemplate(['text']).default(CONTRACT_START_MESSAGE),
    fix: 'set START_MESSAGE to the JSON start message with {{text}} (and {{thread_id}}, {{request_id}}, {{handshake.<field>}} where the service reads them), e.g. {"type":"user_message","payload":{"text":"{{text}}","thread_id":"{{thread_id}}"}}',
    differs: ({ protocol }) => (protocol.startMessage === CONTRACT_START_MESSAGE ? undefined : `start message ${protocol.startMessage}`),
  }),
  ANSWER_PATH: setting({
    at: 'protocol.answerPath',
    schema: dottedPath('final_response.response or output.0.content.0.text').default('final_response'),
    fix: 'set ANSWER_PATH to where the answer text sits in agent_completed, e.g. final_response.response',
    differs: ({ protocol }) => (protocol.answerPath === 'final_response' ? undefined : `answer read at ${protocol.answerPath}`),
  }),
};
