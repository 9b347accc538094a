import { z } from 'zod';

/** How a client may carry its credential on the upgrade, in the order the gateway looks for them. */
export const WS_AUTH_TRANSPORTS = ['subprotocol', 'header', 'query', 'ticket'] as const;
export type WsAuthTransport = (typeof WS_AUTH_TRANSPORTS)[number];

function isTransport(name: string): name is WsAuthTransport {
  return (WS_AUTH_TRANSPORTS as readonly string[]).includes(name);
}

/** `WS_AUTH_MODES=ticket` or `subprotocol,query`: the transports this deployment lets through. */
export const wsAuthModesSetting = z
  .string()
  .transform((spec, context) => {
    const names = spec
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !isTransport(name));
    if (unknown.length > 0 || names.length === 0) {
      context.addIssue({
        code: 'custom',
        message: `${unknown.length > 0 ? `names unknown transport(s) ${unknown.map((name) => `'${name}'`).join(', ')}` : 'is empty'}; write a comma list of ${WS_AUTH_TRANSPORTS.join(', ')}`,
      });
      return z.NEVER;
    }
    return WS_AUTH_TRANSPORTS.filter((transport) => names.includes(transport));
  })
  .default([...WS_AUTH_TRANSPORTS]);

/** The end of every credential close reason, so a client learns what would have worked. */
export function acceptedTransportsText(accepted: readonly WsAuthTransport[]): string {
  return `this service accepts only: ${accepted.join(', ')}`;
}
