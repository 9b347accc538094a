import { recordExchange } from '../evidence/http-exchanges.ts';

export interface JsonResponse<Body = any> {
  status: number;
  body: Body;
  headers: Headers;
  elapsedMs: number;
}

/** A JSON request with the body parsed whatever the status, so a test can assert on error bodies too. */
export async function requestJson<Body = any>(
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<Body>> {
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    // Production logins took 4-17 s when the auth service struggled: slow is the latency checks' call, not a timeout's.
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the raw text is what the test sees.
  }
  const elapsedMs = performance.now() - started;
  recordExchange({
    at: new Date().toISOString(),
    method,
    url,
    status: response.status,
    elapsedMs: Math.round(elapsedMs),
    request: options.body,
    response: body,
  });
  return { status: response.status, body: body as Body, headers: response.headers, elapsedMs };
}

export interface LoginResult {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user: { id: string; email: string };
}

/** Logs in over HTTP with the password at /auth/login; throws with the server's answer when it is not a 200. */
export async function passwordLogin(baseUrl: string, user: { email: string; password: string }): Promise<LoginResult> {
  const response = await requestJson<LoginResult>('POST', `${baseUrl}/auth/login`, { body: { email: user.email, password: user.password } });
  if (response.status !== 200) {
    throw new Error(`Could not log in as ${user.email}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** Logs in through a test-login endpoint guarded by a key header (LOGIN_STRATEGY=bypass), for UIs and APIs behind OAuth. */
export async function bypassLogin(baseUrl: string, email: string, bypass: { path: string; header: string; key: string | undefined }): Promise<LoginResult> {
  const response = await requestJson<LoginResult>('POST', `${baseUrl.replace(/\/$/, '')}${bypass.path}`, {
    body: { email },
    headers: { [bypass.header]: bypass.key ?? '' },
  });
  if (response.status !== 200 || typeof response.body?.access_token !== 'string') {
    throw new Error(
      `Could not log in as ${email} through ${bypass.path} (LOGIN_STRATEGY=bypass): ${response.status} ${JSON.stringify(response.body)}; check BYPASS_LOGIN_PATH, BYPASS_HEADER and BYPASS_KEY`,
    );
  }
  return response.body;
}
