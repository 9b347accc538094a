import { inEnvelope, type Envelope, type Frame } from './envelope.ts';
import { sentName, type EventNames } from './event-names.ts';
import { clockFor, type TimestampFormat } from './timestamps.ts';

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
}

function isWelcome(type: string): boolean {
  return (WELCOME_TYPES as readonly string[]).includes(type);
}

export function createFrameEncoder(protocol: FrameProtocol): EncodeFrame {
  const now = clockFor(protocol.timestamps);
  return (frame) => {
    const envelope = isWelcome(frame.type) ? protocol.welcomeEnvelope : protocol.envelope;
    return JSON.stringify(inEnvelope({ ...frame, type: sentName(frame.type, protocol.eventNames), timestamp: now() }, envelope));
  };
}
