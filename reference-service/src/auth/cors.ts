import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Preflight answers are kept by the browser this long (seconds), so a login is one preflight, not one per request. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface CorsOptions {
  /** The main listener's port, once it listens: its origin is the one the UI's page comes from. */
  mainPort: () => number | undefined;
  /** ALLOWED_ORIGINS: further origins a browser may call the auth host from. */
  allowedOrigins: readonly string[];
  /** Request headers the page may send besides content-type and authorization (the test-login key's). */
  extraHeaders: readonly string[];
}

/**
 * CORS on the auth listener: the UI is served by the main listener, another origin, so the browser asks
 * the auth host first (preflight) and reads its answers only when it names the page's origin.
 */
export function registerCors(app: FastifyInstance, options: CorsOptions) {
  const allowHeaders = ['content-type', 'authorization', ...options.extraHeaders.map((name) => name.toLowerCase())].join(', ');

  /** The page's origin is the main listener on the host name the browser used for this auth host. */
  function allowedOrigin(request: FastifyRequest): string | undefined {
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    if (options.allowedOrigins.includes(origin)) return origin;
    const port = options.mainPort();
    return port !== undefined && [`http://${request.hostname}:${port}`, `https://${request.hostname}:${port}`].includes(origin) ? origin : undefined;
  }

  app.addHook('onRequest', async (request, reply) => {
    const origin = allowedOrigin(request);
    reply.header('Vary', 'Origin');
    if (origin) reply.header('Access-Control-Allow-Origin', origin);
  });

  app.options('/*', async (request, reply) => {
    if (!allowedOrigin(request))
      return reply.code(403).send({ code: 'origin_not_allowed', message: `Origin ${request.headers.origin} may not call this host` });
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'GET, POST')
      .header('Access-Control-Allow-Headers', allowHeaders)
      .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send();
  });
}
