import { z } from 'zod';

/**
 * How a client asks for a run: the contract's flat frame; the real web client's, with its fields under
 * `payload` (`text`, or `content` as the later product's client wrote it); or an LLM product's `chat.send`,
 * whose message holds its text in content parts.
 */
export const START_MESSAGE_SHAPES = ['flat', 'payload', 'payload-content', 'nested'] as const;
export type StartMessageShape = (typeof START_MESSAGE_SHAPES)[number];

const MAX_MESSAGE_CHARACTERS = 16_000;
const text = z.string().trim().min(1).max(MAX_MESSAGE_CHARACTERS);
const threadId = z.uuid().optional();

/** `{"type":"user_message","text":"…","thread_id":"…"}`: the contract's. */
const flatStartMessage = z.object({ type: z.literal('user_message'), text, thread_id: threadId });

/** `{"type":"user_message","payload":{"text":"…","references":[],"thread_id":"…"}}`: what the real product's web client sends. */
const payloadStartMessage = z.object({
  type: z.literal('user_message'),
  payload: z.object(
    { text, references: z.array(z.unknown()).optional(), thread_id: threadId },
    // A client of the contract sends its text at the root: tell it where this service reads it.
    { error: (issue) => (issue.input === undefined ? 'missing; expected payload.text, as in {"type":"user_message","payload":{"text":"…"}}' : undefined) },
  ),
});

/**
 * `{"type":"user_message","payload":{"content":"…","thread_id":"…","run_id":"…","timestamp":…}}`: the later
 * product's client. Its run_id is the client's own label; the server never runs under it.
 */
const payloadContentStartMessage = z.object({
  type: z.literal('user_message'),
  payload: z.object(
    { content: text, thread_id: threadId, run_id: z.string().optional(), timestamp: z.unknown().optional() },
    {
      error: (issue) => (issue.input === undefined ? 'missing; expected payload.content, as in {"type":"user_message","payload":{"content":"…"}}' : undefined),
    },
  ),
});

/** `{"type":"chat.send","message":{"role":"user","content":[{"type":"text","text":"…"}]},"thread_id":"…"}`, type key and thread id as this service names them. */
const nestedStartMessage = z.object({
  type: z.literal('chat.send'),
  message: z.object({
    role: z.literal('user'),
    content: z.array(z.object({ type: z.literal('text'), text: z.string() })).min(1),
  }),
  thread_id: threadId,
});

export const START_MESSAGE_SCHEMAS = {
  flat: flatStartMessage,
  payload: payloadStartMessage,
  'payload-content': payloadContentStartMessage,
  nested: nestedStartMessage,
} as const;

export type StartMessageFrame = z.infer<(typeof START_MESSAGE_SCHEMAS)[StartMessageShape]>;

export interface StartMessage {
  text: string;
  threadId: string | undefined;
}

export function readStartMessage(frame: StartMessageFrame): { problem: string } | StartMessage {
  if ('message' in frame) {
    const joined = text.safeParse(frame.message.content.map((part) => part.text).join(''));
    return joined.success ? { text: joined.data, threadId: frame.thread_id } : { problem: 'message.content: the text parts hold no text' };
  }
  if ('payload' in frame) return { text: 'content' in frame.payload ? frame.payload.content : frame.payload.text, threadId: frame.payload.thread_id };
  return { text: frame.text, threadId: frame.thread_id };
}
