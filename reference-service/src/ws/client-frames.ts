import { z } from 'zod';
import { readStartMessage, START_MESSAGE_SCHEMAS, type StartMessage, type StartMessageShape } from './start-message.ts';

export type ClientFrame = ({ type: 'user_message' } & StartMessage) | { type: 'ping' } | { type: 'invalid'; problem: string; notJson?: true };

/** Reads a client's frames: a start message in this deployment's shape, or a ping (always flat). */
export function createClientFrameParser(startMessage: StartMessageShape): (raw: string | undefined) => ClientFrame {
  const clientFrame = z.discriminatedUnion('type', [START_MESSAGE_SCHEMAS[startMessage], z.object({ type: z.literal('ping') })]);

  return (raw) => {
    if (raw === undefined) return { type: 'invalid', problem: 'binary frames are not accepted; send JSON text' };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { type: 'invalid', problem: 'the frame is not JSON', notJson: true };
    }
    const parsed = clientFrame.safeParse(json);
    if (!parsed.success) {
      return {
        type: 'invalid',
        problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; '),
      };
    }
    return parsed.data.type === 'ping' ? { type: 'ping' } : { type: 'user_message', ...readStartMessage(parsed.data) };
  };
}
