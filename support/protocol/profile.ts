import type { Envelope } from './normalise.ts';

/**
 * How a particular service speaks the contract: where it puts an event's fields, what its welcome frame
 * is called, and what it calls the contract's events. The defaults are the contract's; a staging
 * service that differs is described by WS_ENVELOPE, WS_WELCOME_TYPES and EVENT_NAME_MAP, never by code.
 */
export interface ProtocolProfile {
  /** `auto` accepts any of the three forms; a named one is what the service must send. */
  envelope: Envelope | 'auto';
  welcomeTypes: readonly string[];
  /** Contract name → the service's name, for the events it names differently. */
  eventNames: Readonly<Record<string, string>>;
}

export const CONTRACT_PROTOCOL: ProtocolProfile = {
  envelope: 'auto',
  welcomeTypes: ['connection_established', 'connection_ready'],
  eventNames: {},
};

let active: ProtocolProfile = CONTRACT_PROTOCOL;

/**
 * The profile of the service under test in this process. The settings fixture sets it from the
 * settings once per worker; it is process-wide because it is configuration, like the environment it
 * comes from, and every frame this process records is read with it.
 */
export function activeProtocol(): ProtocolProfile {
  return active;
}

export function useProtocol(profile: ProtocolProfile): void {
  active = profile;
}
