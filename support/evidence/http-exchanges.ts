/**
 * The HTTP requests a test made (login, tickets, readiness), kept as evidence of the steps that used
 * them. A worker runs one test at a time, so one list per worker process is one list per test; the
 * evidence fixture empties it when a test starts and attaches it, redacted, when it ends.
 */
export interface HttpExchange {
  at: string;
  method: string;
  url: string;
  status: number;
  elapsedMs: number;
  request?: unknown;
  response?: unknown;
}

const exchanges: HttpExchange[] = [];

/** Bodies past this size are cut: the evidence is what was asked and what came back, not megabytes of it. */
const MAX_BODY_CHARS = 4000;

export function recordExchange(exchange: HttpExchange): void {
  exchanges.push({ ...exchange, request: bounded(exchange.request), response: bounded(exchange.response) });
}

export function takeExchanges(): HttpExchange[] {
  return exchanges.splice(0);
}

function bounded(body: unknown): unknown {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} characters in all)` : body;
}
