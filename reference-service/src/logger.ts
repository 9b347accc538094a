import { pino, type Logger } from 'pino';

/**
 * Credentials can reach a log through headers, bodies and query strings; none may be written in clear.
 * The request serializer drops the query string (it carries `?token=` and `?ticket=`). `secretHeaders` are
 * further headers that carry a secret, e.g. the test-login bypass key's.
 */
export function createLogger(level: string, options: { secretHeaders?: readonly string[] } = {}): Logger {
  const secretHeaders = (options.secretHeaders ?? []).map((name) => name.toLowerCase());
  return pino({
    level,
    base: { service: 'reference-service' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["sec-websocket-protocol"]',
        'headers.authorization',
        'headers.cookie',
        'headers["sec-websocket-protocol"]',
        '*.password',
        '*.access_token',
        '*.refresh_token',
        '*.ticket',
        '*.token',
        ...secretHeaders.flatMap((name) => [`req.headers["${name}"]`, `headers["${name}"]`]),
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (request: { method?: string; url?: string; id?: string }) => ({
        id: request.id,
        method: request.method,
        path: withoutQuery(request.url),
      }),
    },
  });
}

export function withoutQuery(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}
