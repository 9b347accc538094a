import { inEnvelope, type Envelope, type Frame } from './envelope.ts';
import { inErrorShape, type ErrorFrame } from './error-frame.ts';
import { sentName, type EventNames } from './event-names.ts';
import { wrapped } from './event-wrapper.ts';
import { withSentIdNames, type IdNames } from './id-names.ts';
import { clockFor, type TimestampFormat } from './timestamps.ts';
import { withTypeKey, type TypeKey } from './type-key.ts';

/** The handshake's frames (WS_HANDSHAKE) go out flat whatever WS_ENVELOPE says, as the later product sent them. */
const HANDSHAKE_FRAME_TYPES: readonly string[] = ['handshake_response', 'handshake_complete'];

/** The type of the first frame a socket gets; the contract's is connection_established. */
export const WELCOME_TYPES = ['connection_established', 'connection_ready'] as const;
export type WelcomeType = (typeof WELCOME_TYPES)[number];

/** A frame written in contract terms, without its timestamp: the encoder stamps every frame as it leaves. */
export interface ServerFrame extends Frame {
  timestamp?: never;
}

/** Turns a frame written in contract terms into the text this deployment sends. */
export type EncodeFrame = (frame: ServerFrame) => string;

export interface FrameProtocol {
  envelope: Envelope;
  /** The welcome's own envelope: a service can greet in one shape and send its events in another. */
  welcomeEnvelope: Envelope;
  eventNames: EventNames;
  timestamps: TimestampFormat;
  errorFrame: ErrorFrame;
  /** WS_EVENT_WRAPPER's rule: which frames go out as `system_message`. */
  isWrapped: (frame: ServerFrame) => boolean;
  idNames: IdNames;
  typeKey: TypeKey;
}

function isWelcome(type: string): boolean {
  return (WELCOME_TYPES as readonly string[]).includes(type);
}

export function createFrameEncoder(protocol: FrameProtocol): EncodeFrame {
  const now = clockFor(protocol.timestamps);
  const envelopeOf = (type: string): Envelope =>
    HANDSHAKE_FRAME_TYPES.includes(type) ? 'root' : isWelcome(type) ? protocol.welcomeEnvelope : protocol.envelope;
  return (frame) => {
    const { type, ...fields } = inErrorShape(frame, protocol.errorFrame);
    const sentType = sentName(type, protocol.eventNames);
    const named = withSentIdNames({ ...fields, timestamp: now() }, protocol.idNames);
    const shaped = protocol.isWrapped(frame) ? wrapped(sentType, named) : inEnvelope({ type: sentType, ...named }, envelopeOf(type));
    return JSON.stringify(withTypeKey(shaped, protocol.typeKey));
  };
}
