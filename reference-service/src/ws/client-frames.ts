import { z } from 'zod';
import { threadIdRead, type IdNames } from './id-names.ts';
import { readStartMessage, START_MESSAGE_SCHEMAS, type StartMessage, type StartMessageShape } from './start-message.ts';
import { typeKeyRead, type TypeKey } from './type-key.ts';

export type ClientFrame =
  | ({ type: 'user_message' } & StartMessage)
  | { type: 'ping' }
  | { type: 'handshake_acknowledged'; threadId: string | undefined }
  | { type: 'invalid'; problem: string; notJson?: true };

export interface ClientProtocol {
  startMessage: StartMessageShape;
  typeKey: TypeKey;
  idNames: IdNames;
  /** WS_HANDSHAKE is on: the client acknowledges the handshake with `handshake_acknowledged`. */
  handshake: boolean;
}

const handshakeAcknowledged = z.object({ type: z.literal('handshake_acknowledged'), thread_id: z.string().optional() });

/** Reads a client's frames: a start message in this deployment's shape, a ping, or a handshake acknowledgement; type key and thread id as this deployment names them. */
export function createClientFrameParser(protocol: ClientProtocol): (raw: string | undefined) => ClientFrame {
  const clientFrame = z.discriminatedUnion('type', [
    START_MESSAGE_SCHEMAS[protocol.startMessage],
    z.object({ type: z.literal('ping') }),
    ...(protocol.handshake ? [handshakeAcknowledged] : []),
  ]);

  return (raw) => {
    if (raw === undefined) return { type: 'invalid', problem: 'binary frames are not accepted; send JSON text' };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { type: 'invalid', problem: 'the frame is not JSON', notJson: true };
    }
    const named =
      typeof json === 'object' && json !== null && !Array.isArray(json)
        ? threadIdRead(typeKeyRead(json as Record<string, unknown>, protocol.typeKey), protocol.idNames)
        : json;
    const parsed = clientFrame.safeParse(named);
    if (!parsed.success) {
      return {
        type: 'invalid',
        problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; '),
      };
    }
    const frame = parsed.data;
    if (frame.type === 'ping') return { type: 'ping' };
    if (frame.type === 'handshake_acknowledged') return { type: 'handshake_acknowledged', threadId: frame.thread_id };
    const message = readStartMessage(frame);
    return 'problem' in message ? { type: 'invalid', problem: message.problem } : { type: 'user_message', ...message };
  };
}
