import type { Browser, Page, Request, Response, WebSocket } from '@playwright/test';
import type { Account } from '../../../support/config/settings.ts';
import type { NoncePrompt } from '../../../support/golden-path/nonce.ts';
import { answerSelector, findChat, findLoginForm, type Hook } from '../ui.ts';
import { parseJson } from './json-paths.ts';
import type { RecordedExchange, RecordedWebSocket, WebClientRecording } from './recording.ts';

/** A login may take seconds on a struggling auth service. */
const CHAT_WAIT_MS = 15_000;
/** The client opens its socket, and any handshake it does is over, once the socket has been quiet this long. */
const SOCKET_QUIET_MS = 1000;
const SOCKET_WAIT_MS = 10_000;
const ANSWER_WAIT_MS = 30_000;
/** A frame that only keeps the connection alive, whatever key holds its type. */
const HEARTBEAT = /^\{[^{]*"(?:type|event|kind|op)"\s*:\s*"(?:heartbeat|ping|pong|keepalive)"/i;
/** Events that close a run (cleanup) may follow the rendered answer by a moment. */
const AFTER_ANSWER_QUIET_MS = 1500;

/** Why the web client could not be watched to the end, in one line: no login form, no socket, no answer. */
export class RecordingFailed extends Error {
  constructor(
    message: string,
    /** What the page did up to there, for the transcript. */
    readonly recording?: WebClientRecording,
  ) {
    super(message);
    this.name = 'RecordingFailed';
  }
}

/** One account's page, signed in through its form, with everything it did so far. */
export interface WatchedClient {
  page: Page;
  recording: WebClientRecording;
  /** Selectors for the hooks that have no contract data-testid (UI_SELECTORS). */
  selectors: Partial<Record<Hook, string>>;
  /** Milliseconds since the recording began. */
  since: () => number;
}

/**
 * Opens BASE_URL in a fresh context and signs in as a person would (the form found by its fields and
 * roles), recording every fetch/XHR with its JSON bodies and every socket with its frames. Chromium does not
 * report a socket's upgrade as a request, so the offered subprotocols and the upgrade's headers are read
 * from the DevTools protocol (Network.webSocketWillSendHandshakeRequest).
 */
export async function signInAndWatch(browser: Browser, pageUrl: string, account: Account): Promise<WatchedClient> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const recording: WebClientRecording = {
    pageUrl,
    typed: { email: account.email, password: account.password, prompts: [] },
    http: [],
    sockets: [],
    localStorage: {},
  };

  const devtools = await context.newCDPSession(page);
  await devtools.send('Network.enable');
  const upgrades = new Map<string, { url?: string; headers?: Record<string, string> }>();
  const upgrade = (requestId: string) => upgrades.get(requestId) ?? upgrades.set(requestId, {}).get(requestId)!;
  devtools.on('Network.webSocketCreated', ({ requestId, url }) => void (upgrade(requestId).url = url));
  devtools.on('Network.webSocketWillSendHandshakeRequest', ({ requestId, request }) => {
    upgrade(requestId).headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
  });
  page.on('websocket', (socket: WebSocket) => {
    const record: RecordedWebSocket = { at: since(), url: socket.url(), offeredProtocols: [], requestHeaders: {}, frames: [] };
    recording.sockets.push(record);
    socket.on('framesent', ({ payload }) => record.frames.push({ at: since(), direction: 'sent', text: String(payload) }));
    socket.on('framereceived', ({ payload }) => record.frames.push({ at: since(), direction: 'received', text: String(payload) }));
  });
  // The DevTools events and Playwright's come in no fixed order: each socket gets its upgrade's headers once both are in,
  // paired by address (a page opens its sockets one after another).
  const attachUpgrades = () => {
    const unpaired = [...upgrades.values()].filter((one) => one.headers);
    for (const socket of recording.sockets) {
      const index = unpaired.findIndex((one) => one.url === socket.url);
      if (index < 0) continue;
      const [{ headers }] = unpaired.splice(index, 1) as [{ headers: Record<string, string> }];
      socket.requestHeaders = headers;
      socket.offeredProtocols = (headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((protocol) => protocol.trim())
        .filter(Boolean);
    }
  };
  const bodies: Array<Promise<void>> = [];
  page.on('response', (response: Response) => {
    const request = response.request();
    if (!['fetch', 'xhr'].includes(request.resourceType())) return;
    bodies.push(recordExchange(request, response, since()).then((exchange) => void recording.http.push(exchange)));
  });

  await page.goto(pageUrl);
  const selectors: Partial<Record<Hook, string>> = {};
  const form = await findLoginForm(page, selectors);
  if (!form) throw new RecordingFailed(`the page at ${pageUrl} shows no login form (no password field with an email field and a sign-in button)`);
  await form.email.fill(account.email);
  await form.password.fill(account.password);
  await form.submit.click();
  if (!(await chatOrRefusal(page, selectors, recording, since))) {
    await Promise.all(bodies);
    throw new RecordingFailed(`signing in as ${account.email} through the page's form opened no chat input within ${CHAT_WAIT_MS / 1000} s`, recording);
  }
  await socketSettled(recording, since);
  attachUpgrades();
  recording.localStorage = await page.evaluate(() => Object.fromEntries(Object.entries(window.localStorage)));
  await Promise.all(bodies);
  return { page, recording, selectors, since };
}

/** Types the prompt into the composer, sends it, and waits for the product's digits to render; the run's last frames are recorded too. */
export async function askAndWatch(client: WatchedClient, prompt: NoncePrompt): Promise<void> {
  const { page, recording, selectors, since } = client;
  const chat = await findChat(page, selectors, 0);
  if (!chat) throw new RecordingFailed('the chat input went away before the prompt could be typed');
  recording.typed.prompts.push({ prompt: prompt.prompt, expectedAnswer: prompt.expectedAnswer });
  await chat.input.fill(prompt.prompt);
  await chat.send.click();
  const shown = await page
    .getByText(prompt.answer)
    .first()
    .waitFor({ state: 'visible', timeout: ANSWER_WAIT_MS })
    .then(
      () => true,
      () => false,
    );
  if (!shown) throw new RecordingFailed(`asked "${prompt.prompt}" in the page; ${prompt.expectedAnswer} did not show within ${ANSWER_WAIT_MS / 1000} s`);
  await quiet(recording, since, AFTER_ANSWER_QUIET_MS, ANSWER_WAIT_MS);
  if (!(await page.getByTestId('assistant-message').filter({ hasText: prompt.answer }).first().isVisible())) {
    const selector = await answerSelector(page, prompt.answer, prompt.prompt);
    if (selector) selectors['assistant-message'] = selector;
  }
}

/**
 * The chat input, looked for until it shows or the page's login is refused (a 401/403 to the request
 * that carried the password: no chat will come, and waiting the full time would only delay saying so).
 */
async function chatOrRefusal(page: Page, selectors: Partial<Record<Hook, string>>, recording: WebClientRecording, since: () => number): Promise<boolean> {
  const deadline = since() + CHAT_WAIT_MS;
  const refused = () =>
    recording.http.some(
      (exchange) => (exchange.status === 401 || exchange.status === 403) && JSON.stringify(exchange.requestBody ?? '').includes(recording.typed.password),
    );
  while (since() < deadline && !refused()) if (await findChat(page, selectors, 500)) return true;
  return false;
}

/** Waits for the page's socket to open and fall quiet: whatever the client says before its prompt (a handshake) is then said. */
async function socketSettled(recording: WebClientRecording, since: () => number): Promise<void> {
  const deadline = since() + SOCKET_WAIT_MS;
  while (!recording.sockets.some((socket) => socket.frames.length > 0)) {
    if (since() > deadline) {
      const opened =
        recording.sockets.length > 0 ? `it opened ${recording.sockets.map((socket) => socket.url).join(', ')}, and nothing came` : 'it opened none';
      throw new RecordingFailed(`the signed-in page exchanged no WebSocket frame within ${SOCKET_WAIT_MS / 1000} s (${opened})`);
    }
    await sleep(100);
  }
  await quiet(recording, since, SOCKET_QUIET_MS, SOCKET_WAIT_MS);
}

/**
 * Waits until no frame but a heartbeat has come for `quietMs` (a service may beat every 200 ms: counting its
 * heartbeats, the socket would never fall quiet), or `limitMs` has passed.
 */
async function quiet(recording: WebClientRecording, since: () => number, quietMs: number, limitMs: number): Promise<void> {
  const deadline = since() + limitMs;
  const lastFrameAt = () =>
    Math.max(0, ...recording.sockets.flatMap((socket) => socket.frames.filter((frame) => !HEARTBEAT.test(frame.text)).map((frame) => frame.at)));
  while (since() - lastFrameAt() < quietMs && since() < deadline) await sleep(100);
}

async function recordExchange(request: Request, response: Response, at: number): Promise<RecordedExchange> {
  const body = await response.text().catch(() => '');
  return {
    at,
    method: request.method(),
    url: request.url(),
    requestHeaders: await request.allHeaders(),
    requestBody: request.postData() === null ? undefined : (parseJson(request.postData()!) ?? request.postData()!),
    status: response.status(),
    responseBody: parseJson(body),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
