import { chromium, type Browser } from '@playwright/test';
import { answerPattern, goldenPrompt } from '../../../support/golden-path/nonce.ts';
import { registerSecret } from '../../../support/evidence/redaction/secrets.ts';
import { chooseChromium } from '../../../support/ui/browser.ts';
import { NothingDiscovered, type Discovery } from '../discovery.ts';
import type { DiscoverInputs } from '../inputs.ts';
import { keepWhatBothShare, learnFromRecording, type Lesson } from './learn.ts';
import { askAndWatch, RecordingFailed, signInAndWatch, type WatchedClient } from './recorder.ts';
import { secretsIn } from './recorded-secrets.ts';
import { pathsWhere } from './json-paths.ts';
import type { WebClientRecording } from './recording.ts';
import type { PageSocket } from './socket-probes.ts';

/** What watching the web client gave discover: the socket to probe the page's way, when the recording got that far. */
export interface Watched {
  /** Everything the smoke run needs was learned from the page: probing is not needed. */
  complete: boolean;
  socket: PageSocket | undefined;
  /** Why the recording stopped, in one line, when it did. */
  failure: string | undefined;
}

/** The page itself answered the reachability check already: a silent one is not waited for long. */
const PAGE_TIMEOUT_MS = 10_000;

/** A page may name its conversation's thread only in the messages after the first: each account asks twice. */
const PROMPTS_PER_ACCOUNT = 2;

/** The settings without which the harness cannot run a turn: when any is not learned, today's probing decides. */
const ESSENTIAL = ['LOGIN_TOKEN_PATH', 'WS_URL', 'WS_AUTH', 'START_MESSAGE', 'ANSWER_PATH'];

/**
 * Signs both accounts in through the page, asks each the golden prompt while the other's page listens,
 * and learns the settings from what the pages did. A value the two recordings do not share is never
 * written; a run of one account reaching the other's page is an isolation finding.
 */
export async function watchWebClient(inputs: DiscoverInputs, discovery: Discovery, onBrowser: (browser: Browser) => void): Promise<Watched> {
  const nothing = (failure: string | undefined): Watched => ({ complete: false, socket: undefined, failure });
  const page = await fetch(inputs.baseUrl, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) }).catch(() => undefined);
  const type = page?.headers.get('content-type') ?? '';
  if (!page?.ok || !type.includes('text/html')) {
    discovery.observe(
      'web client',
      'not found',
      `GET ${inputs.baseUrl} answered ${page?.status ?? 'nothing'} ${type}: no page to watch, so everything is probed`,
    );
    return nothing(undefined);
  }
  const chromiumChoice = chooseChromium();
  if (chromiumChoice.problem) {
    discovery.observe('web client', 'not found', `no browser to watch the page with (${chromiumChoice.problem}), so everything is probed`);
    return nothing(undefined);
  }
  const browser = await chromium.launch(chromiumChoice.launchOptions);
  onBrowser(browser);
  try {
    const accounts = [inputs.user, ...(inputs.secondUser ? [inputs.secondUser] : [])];
    const clients = await Promise.all(accounts.map((account) => signInAndWatch(browser, inputs.baseUrl, account)));
    for (let asked = 0; asked < PROMPTS_PER_ACCOUNT; asked++) {
      for (const [index, client] of clients.entries()) {
        await askWhileOthersListen(
          client,
          clients.filter((_, other) => other !== index),
          inputs,
          discovery,
        );
      }
    }
    for (const { recording } of clients) for (const secret of secretsIn(recording)) registerSecret(secret);
    discovery.record(
      'web client',
      clients.map(({ recording }) => recording),
    );
    const [first, second] = clients.map(({ recording }) => learnFromRecording(recording)) as [Lesson, Lesson | undefined];
    const lesson = second ? keepWhatBothShare(first, second) : first;
    report(lesson, clients[0]!, inputs, discovery);
    const complete = lesson.socket !== undefined && !lesson.notLearned.some(({ settings }) => settings.some((setting) => ESSENTIAL.includes(setting)));
    const socket =
      lesson.socket && lesson.token && lesson.userId
        ? { pageUrl: inputs.baseUrl, ...lesson.socket, token: lesson.token, user: { id: lesson.userId, email: inputs.user.email } }
        : undefined;
    return { complete, socket, failure: undefined };
  } catch (error) {
    if (!(error instanceof RecordingFailed)) throw error;
    if (error.recording) {
      for (const secret of secretsIn(error.recording)) registerSecret(secret);
      discovery.record('web client', [error.recording]);
      const refusal = refusedPassword(error.recording);
      // The service said the password is wrong: probing would only try it again.
      if (refusal) throw new NothingDiscovered(`could not log in as ${error.recording.typed.email}`, [refusal]);
    }
    discovery.observe('web client', 'not found', `${error.message}: what the page did not show is probed`);
    return nothing(error.message);
  } finally {
    await browser.close();
  }
}

/** The page's login refused the typed password (401 or 403), in words; undefined when it did not. */
function refusedPassword(recording: WebClientRecording): string | undefined {
  const login = recording.http.find((exchange) => pathsWhere(exchange.requestBody, (text) => text === recording.typed.password).length > 0);
  if (login?.status !== 401 && login?.status !== 403) return undefined;
  const answer = `${login.status} ${JSON.stringify(login.responseBody ?? '').slice(0, 160)}`;
  return `the page's ${login.method} ${new URL(login.url).pathname} refused ${recording.typed.email}'s password (${answer}): check TEST_USER_EMAIL and TEST_USER_PASSWORD (no other password is tried)`;
}

/** Sends the client's prompt; a frame holding its answer on another account's page is a run that reached the wrong user. */
async function askWhileOthersListen(client: WatchedClient, others: readonly WatchedClient[], inputs: DiscoverInputs, discovery: Discovery): Promise<void> {
  const prompt = goldenPrompt(inputs.goldenPrompt);
  const heardBefore = others.map(({ recording }) => recording.sockets.flatMap((socket) => socket.frames).length);
  await askAndWatch(client, prompt);
  const answer = answerPattern(prompt.expectedAnswer);
  for (const [index, other] of others.entries()) {
    const heard = other.recording.sockets.flatMap((socket) => socket.frames).slice(heardBefore[index]);
    const leaked = heard.filter((frame) => frame.direction === 'received' && (answer.test(frame.text) || frame.text.includes(prompt.needle)));
    if (leaked.length > 0) {
      discovery.find('isolation', `${leaked.length} frame(s) of ${client.recording.typed.email}'s run reached ${other.recording.typed.email}'s page`);
    }
  }
}

function report(lesson: Lesson, first: WatchedClient, inputs: DiscoverInputs, discovery: Discovery): void {
  discovery.observe(
    'accounts (web client)',
    'found',
    `signed in through the page as ${[inputs.user, inputs.secondUser]
      .filter(Boolean)
      .map((one) => one!.email)
      .join(' and ')}`,
    {
      TEST_USER_EMAIL: inputs.user.email,
      ...(inputs.secondUser ? { TEST_USER2_EMAIL: inputs.secondUser.email } : {}),
    },
  );
  for (const observation of lesson.observations) discovery.observe(observation.subject, observation.status, observation.saw, observation.settings);
  const hooks = Object.keys(first.selectors);
  discovery.observe(
    'UI hooks (web client)',
    'found',
    hooks.length > 0 ? `no contract data-testid for ${hooks.join(', ')}` : 'every contract data-testid is there',
    {
      UI_SELECTORS: JSON.stringify(first.selectors),
    },
  );
  if (!inputs.secondUser) {
    discovery.observe('second account', 'not found', 'TEST_USER2_EMAIL is not set: one recording, so nothing shows which values belong to one user or session');
  }
  for (const { settings, why } of lesson.notLearned) discovery.observe(`not learned: ${settings.join(', ')}`, 'not found', why);
  for (const { stage, what } of lesson.findings) discovery.find(stage, what);
}
