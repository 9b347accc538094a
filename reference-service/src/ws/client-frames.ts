import { z } from 'zod';

const MAX_MESSAGE_CHARACTERS = 16_000;

const clientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('user_message'),
    text: z.string().trim().min(1).max(MAX_MESSAGE_CHARACTERS),
    thread_id: z.uuid().optional(),
  }),
  z.object({ type: z.literal('ping') }),
]);

export type ClientFrame = z.infer<typeof clientFrame> | { type: 'invalid'; problem: string; notJson?: true };

export function parseClientFrame(raw: string | undefined): ClientFrame {
  if (raw === undefined) return { type: 'invalid', problem: 'binary frames are not accepted; send JSON text' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { type: 'invalid', problem: 'the frame is not JSON', notJson: true };
  }
  const parsed = clientFrame.safeParse(json);
  if (parsed.success) return parsed.data;
  return {
    type: 'invalid',
    problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; '),
  };
}
