import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { requireAccessToken } from './auth/bearer.ts';
import type { ProvisionTokenUser } from './auth/provisioning.ts';
import type { TokenService } from './auth/tokens.ts';

export interface TicketHolder {
  userId: string;
  email: string;
}

/** The ticket answer's field: the contract's `ticket` (with expires_in and websocket_url), or `ticket_id` (with expires_at), as the real product at aebb16f answered. */
export const TICKET_FIELDS = ['ticket', 'ticket_id'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

const ticketKey = (ticket: string) => `ws_ticket:${ticket}`;

/** Takes a ticket out of Redis: a ticket opens one connection only. */
export async function redeemTicket(redis: Redis, ticket: string): Promise<TicketHolder | undefined> {
  const stored = await redis.getdel(ticketKey(ticket));
  return stored ? (JSON.parse(stored) as TicketHolder) : undefined;
}

export function registerTicketRoute(
  app: FastifyInstance,
  deps: { redis: Redis; tokens: TokenService; provisionTokenUser: ProvisionTokenUser; ttlSeconds: number; field: TicketField },
) {
  app.post('/api/websocket/ticket', { preHandler: requireAccessToken(deps.tokens, deps.provisionTokenUser) }, async (request) => {
    const ticket = randomBytes(32).toString('base64url');
    const holder: TicketHolder = { userId: request.auth!.userId, email: request.auth!.email };
    await deps.redis.set(ticketKey(ticket), JSON.stringify(holder), 'EX', deps.ttlSeconds);
    if (deps.field === 'ticket_id') return { ticket_id: ticket, expires_at: new Date(Date.now() + deps.ttlSeconds * 1000).toISOString() };
    const scheme = request.protocol === 'https' ? 'wss' : 'ws';
    return { ticket, expires_in: deps.ttlSeconds, websocket_url: `${scheme}://${request.host}/ws` };
  });
}
