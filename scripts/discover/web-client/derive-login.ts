import { valueAt } from '../../../support/json/value-at.ts';
import { pathsWhere, rewriteLeaves } from './json-paths.ts';
import { found, looksLikeJwt, type Learned } from './learned.ts';
import type { RecordedExchange, WebClientRecording } from './recording.ts';

export interface LearnedLogin extends Learned {
  /** The access token the page got, to recognise where it travels next; never written. */
  token: string | undefined;
  userId: string | undefined;
  /** The origin that answered the login (AUTH_URL when it is not the page's). */
  authOrigin: string | undefined;
}

/**
 * The login as the page did it: the request whose JSON body carries the typed password, its host and
 * path, its body as a template, where the token and user id sit in its answer, and where the page then
 * kept the token.
 */
export function deriveLogin(recording: WebClientRecording): LearnedLogin {
  const { email, password } = recording.typed;
  const exchange = recording.http.find((one) => pathsWhere(one.requestBody, (text) => text === password).length > 0);
  if (!exchange) {
    return {
      observations: [],
      notLearned: [{ settings: ['AUTH_URL', 'LOGIN_PATH', 'LOGIN_BODY', 'LOGIN_TOKEN_PATH'], why: 'no request of the page carried the typed password' }],
      token: undefined,
      userId: undefined,
      authOrigin: undefined,
    };
  }
  const url = new URL(exchange.url);
  const pageOrigin = new URL(recording.pageUrl).origin;
  const body = rewriteLeaves(exchange.requestBody, (leaf) => (leaf === email ? '{{email}}' : leaf === password ? '{{password}}' : undefined));
  const request = {
    ...(url.origin !== pageOrigin ? { AUTH_URL: url.origin } : {}),
    LOGIN_PATH: url.pathname,
    LOGIN_BODY: JSON.stringify(body),
  };
  const observations = [
    found(
      'login',
      `the page sent ${exchange.method} ${url.origin === pageOrigin ? '' : url.origin}${url.pathname} with the typed email and password, answered ${exchange.status}`,
      request,
    ),
  ];
  const notLearned: Learned['notLearned'] = [];
  if (exchange.status !== 200 || exchange.responseBody === undefined) {
    notLearned.push({ settings: ['LOGIN_TOKEN_PATH', 'LOGIN_USER_ID_PATH'], why: `the login answered ${exchange.status} without a JSON body` });
    return { observations, notLearned, token: undefined, userId: undefined, authOrigin: url.origin };
  }

  const tokenPath = tokenPathIn(exchange, recording);
  const token = tokenPath === undefined ? undefined : (valueAt(exchange.responseBody, tokenPath) as string);
  const subject = token ? subjectOf(token) : undefined;
  const userIdPath = subject === undefined ? undefined : pathsWhere(exchange.responseBody, (text) => text === subject)[0];
  if (tokenPath === undefined) notLearned.push({ settings: ['LOGIN_TOKEN_PATH'], why: 'the login answer holds no token the page used afterwards' });
  else {
    observations.push(
      found('login token', `the answer's ${tokenPath} is the token the page used next`, {
        LOGIN_TOKEN_PATH: tokenPath,
        ...(userIdPath ? { LOGIN_USER_ID_PATH: userIdPath } : {}),
      }),
    );
    if (!userIdPath)
      notLearned.push({ settings: ['LOGIN_USER_ID_PATH'], why: "the answer does not repeat the token's subject: the harness reads the token's sub claim" });
  }
  const storageKey = token ? Object.keys(recording.localStorage).find((key) => recording.localStorage[key]!.includes(token)) : undefined;
  if (storageKey)
    observations.push(
      found('token storage', `the page keeps the token in localStorage under ${storageKey}`, { LOGIN_STRATEGY: 'ui', TOKEN_STORAGE_KEY: storageKey }),
    );
  else
    observations.push(
      found('token storage', 'the page keeps the token nowhere in localStorage: the harness signs in through its form', { LOGIN_STRATEGY: 'ui' }),
    );
  return { observations, notLearned, token, userId: subject, authOrigin: url.origin };
}

/** The path of the token the page used after the login (stored, sent on a socket or in a later request), else of the first token. */
function tokenPathIn(exchange: RecordedExchange, recording: WebClientRecording): string | undefined {
  const candidates = pathsWhere(exchange.responseBody, looksLikeJwt);
  const usedLater = (token: string) =>
    Object.values(recording.localStorage).some((value) => value.includes(token)) ||
    recording.sockets.some((socket) => socket.url.includes(token) || socket.offeredProtocols.some((protocol) => protocol.includes(token))) ||
    recording.http.some((other) => other !== exchange && Object.values(other.requestHeaders).some((value) => value.includes(token)));
  return candidates.find((path) => usedLater(valueAt(exchange.responseBody, path) as string)) ?? candidates[0];
}

/** The `sub` claim of a JWT, read without checking its signature (only to find the user id in the answer). */
function subjectOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
