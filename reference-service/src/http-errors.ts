import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { DatabaseTimeoutError } from './db/database.ts';

export class BadRequestError extends Error {
  readonly statusCode = 400;
  readonly code = 'invalid_request';
}

export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw new BadRequestError(problems.join('; '));
  }
  return parsed.data;
}

/** Every error leaves as `{code, message}`; a dead dependency is a 503, never a 500 with a stack. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BadRequestError) {
      return reply.code(400).send({ code: error.code, message: error.message });
    }
    if (error instanceof DatabaseTimeoutError) {
      request.log.error({ err: error }, 'database timeout');
      return reply.code(503).send({ code: error.code, message: error.message });
    }
    if (isDependencyDown(error)) {
      request.log.error({ err: error }, 'dependency unavailable');
      return reply.code(503).send({ code: 'dependency_unavailable', message: 'a backing service is unavailable' });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ code: error.code ?? 'invalid_request', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ code: 'internal_error', message: 'the server failed; see its log' });
  });
}

function isDependencyDown(error: Error): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code) ||
    /Stream isn't writeable|Connection is closed|Connection terminated|timeout exceeded when trying to connect/i.test(error.message)
  );
}
