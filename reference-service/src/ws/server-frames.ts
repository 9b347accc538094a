import { inEnvelope, type Envelope, type ServerFrame } from './envelope.ts';
import { sentName, type EventNames } from './event-names.ts';

/** The type of the first frame a socket gets; the contract's is connection_established. */
export const WELCOME_TYPES = ['connection_established', 'connection_ready'] as const;
export type WelcomeType = (typeof WELCOME_TYPES)[number];

/** Turns a frame written in contract terms into the text this deployment sends. */
export type EncodeFrame = (frame: ServerFrame) => string;

export function createFrameEncoder(protocol: { envelope: Envelope; eventNames: EventNames }): EncodeFrame {
  return (frame) => JSON.stringify(inEnvelope({ ...frame, type: sentName(frame.type, protocol.eventNames) }, protocol.envelope));
}
