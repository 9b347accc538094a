import type { FastifyInstance } from 'fastify';

/** The port a listener is bound to, once it listens (PORT=0 and AUTH_PORT=0 pick one). */
export function portOf(app: FastifyInstance): number | undefined {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}
