import { z } from 'zod';

/** How a client asks for a run: the contract's flat frame, or the real web client's, with its fields under `payload`. */
export const START_MESSAGE_SHAPES = ['flat', 'payload'] as const;
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

export const START_MESSAGE_SCHEMAS = { flat: flatStartMessage, payload: payloadStartMessage } as const;

export interface StartMessage {
  text: string;
  threadId: string | undefined;
}

export function readStartMessage(frame: z.infer<typeof flatStartMessage> | z.infer<typeof payloadStartMessage>): StartMessage {
  const fields = 'payload' in frame ? frame.payload : frame;
  return { text: fields.text, threadId: fields.thread_id };
}
