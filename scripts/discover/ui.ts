import { chromium, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { LoginStrategy } from '../../support/config/settings.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitWelcome } from '../../support/golden-path/run-observer.ts';
import type { ProtocolProfile } from '../../support/protocol/profile.ts';
import { chooseChromium } from '../../support/ui/browser.ts';
import { RecordingSocket } from '../../support/ws/recording-socket.ts';
import type { Discovery } from './discovery.ts';
import type { DiscoverInputs } from './inputs.ts';
import type { DiscoveredLogin } from './login.ts';
import { credentialFor, type DiscoveredSocket } from './socket.ts';

/** Where UIs keep their test hooks, the contract's first. */
const TEST_ATTRIBUTES = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy'];
const DEFAULT_TOKEN_STORAGE_KEY = 'netra_access_token';
/** A single-page app renders its form after its scripts ran; this is long enough for that, short enough for an SSO page to be told apart. */
const RENDER_WAIT_MS = 4000;
/** A login may take seconds on a struggling auth service. */
const CHAT_WAIT_MS = 15_000;
const ANSWER_WAIT_MS = 20_000;

export type Hook = 'login-email' | 'login-password' | 'login-submit' | 'chat-input' | 'chat-send' | 'assistant-message';

interface UiContext {
  inputs: DiscoverInputs;
  login: DiscoveredLogin;
  socketChoice: DiscoveredSocket;
  protocol: ProtocolProfile;
}

/**
 * Opens BASE_URL in Chromium as a user would: finds the login form by its roles, types and labels (or
 * sees there is none: an SSO page), reaches the chat, asks the golden prompt, and finds the element that
 * shows the answer. UI_SELECTORS is written only for the hooks whose contract data-testid is absent.
 */
export async function discoverUi(context: UiContext, discovery: Discovery, onBrowser: (browser: Browser) => void): Promise<void> {
  const chromiumChoice = chooseChromium();
  if (chromiumChoice.problem) {
    discovery.observe('UI', 'not found', `no browser to look with: ${chromiumChoice.problem}`, {
      LOGIN_STRATEGY: context.login.way === 'bypass' ? 'bypass' : 'ui',
    });
    discovery.find('ui', `the UI could not be looked at: ${chromiumChoice.problem}`);
    return;
  }
  const browser = await chromium.launch(chromiumChoice.launchOptions);
  onBrowser(browser);
  try {
    const selectors: Partial<Record<Hook, string>> = {};
    const chat = await signedInChat(browser, context, selectors, discovery);
    if (!chat) return;
    await askAndFindAnswer(chat, context, selectors, discovery);
    discovery.observe(
      'UI hooks',
      'found',
      Object.keys(selectors).length > 0 ? `no contract data-testid for ${Object.keys(selectors).join(', ')}` : 'every contract data-testid is there',
      {
        UI_SELECTORS: JSON.stringify(selectors),
      },
    );
  } finally {
    await browser.close();
  }
}

/** The chat view, signed in the way the UI allows: its login form, or a token where its scripts look for one. */
async function signedInChat(
  browser: Browser,
  context: UiContext,
  selectors: Partial<Record<Hook, string>>,
  discovery: Discovery,
): Promise<{ page: Page; input: Locator; send: Locator } | undefined> {
  const { page, storageReads } = await watchedPage(browser);
  await page.goto(context.inputs.baseUrl);
  const form = context.login.way === 'password' ? await findLoginForm(page, selectors) : undefined;
  if (form) {
    await form.email.fill(context.inputs.user.email);
    await form.password.fill(context.inputs.user.password);
    await form.submit.click();
    const chat = await findChat(page, selectors, CHAT_WAIT_MS);
    if (chat) {
      discovery.observe('login page', 'found', `a login form (${form.described}); signing in with it opened the chat`, { LOGIN_STRATEGY: 'ui' });
      return { page, ...chat };
    }
    discovery.observe(
      'login page',
      'not found',
      `a login form (${form.described}), but signing in with it did not open a chat within ${CHAT_WAIT_MS / 1000} s; the browser is given a token instead`,
    );
  }
  const strategy: LoginStrategy = context.login.way === 'bypass' ? 'bypass' : 'api-token';
  const why =
    context.login.way === 'bypass'
      ? 'the API logs in only through the test-login endpoint'
      : form
        ? 'its form did not sign in'
        : 'no password form on the page (an SSO sign-in, or none)';
  const keys = [...new Set([DEFAULT_TOKEN_STORAGE_KEY, ...storageReads().filter((key) => /token|auth|jwt|session/i.test(key))])];
  await page.context().close();
  for (const key of keys) {
    const signedIn = await watchedPage(browser);
    await signedIn.page.addInitScript(([storageKey, token]) => window.localStorage.setItem(storageKey, token), [key, context.login.user.accessToken] as const);
    await signedIn.page.goto(context.inputs.baseUrl);
    const chat = await findChat(signedIn.page, selectors, RENDER_WAIT_MS);
    if (chat) {
      discovery.observe('login page', 'found', `${why}: the chat opens with the access token in localStorage under ${key}`, {
        LOGIN_STRATEGY: strategy,
        TOKEN_STORAGE_KEY: key,
      });
      return { page: signedIn.page, ...chat };
    }
    await signedIn.page.context().close();
  }
  discovery.observe('login page', 'not found', `${why}, and no chat opened with the token in localStorage under ${keys.join(' or ')}`, {
    LOGIN_STRATEGY: strategy,
  });
  discovery.find('ui', `the UI at ${context.inputs.baseUrl} showed no chat input, by its form or with a token in localStorage (${keys.join(', ')})`);
  return undefined;
}

/** A page in a fresh context that remembers which localStorage keys the UI's scripts read. */
async function watchedPage(browser: Browser): Promise<{ page: Page; storageReads: () => string[] }> {
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const reads: string[] = [];
  await page.exposeFunction('__goldenPathStorageRead', (key: string) => reads.push(key));
  await page.addInitScript(() => {
    const read = Storage.prototype.getItem;
    Storage.prototype.getItem = function (key: string) {
      (window as unknown as { __goldenPathStorageRead: (key: string) => void }).__goldenPathStorageRead(key);
      return read.call(this, key);
    };
  });
  return { page, storageReads: () => reads };
}

export async function findLoginForm(
  page: Page,
  selectors: Partial<Record<Hook, string>>,
): Promise<{ email: Locator; password: Locator; submit: Locator; described: string } | undefined> {
  const password = await firstVisible([page.getByTestId('login-password'), page.locator('input[type="password"]')], RENDER_WAIT_MS);
  if (!password) return undefined;
  const form = password.locator('xpath=ancestor::form[1]');
  const email = await firstVisible(
    [
      page.getByTestId('login-email'),
      form.locator('input[type="email"]'),
      form.locator('input[autocomplete="username"]'),
      page.getByLabel(/e-?mail|user ?name|login/i),
      page.locator('input[type="email"]'),
    ],
    0,
  );
  const submit = await firstVisible(
    [
      page.getByTestId('login-submit'),
      form.locator('button[type="submit"], input[type="submit"]'),
      page.getByRole('button', { name: /sign in|log ?in|continue|submit/i }),
    ],
    0,
  );
  if (!email || !submit) return undefined;
  const found = await Promise.all(
    (
      [
        ['login-email', email],
        ['login-password', password],
        ['login-submit', submit],
      ] as const
    ).map(async ([hook, element]) => `${hook}: ${await hookSelector(page, hook, element, selectors)}`),
  );
  return { email, password, submit, described: found.join(', ') };
}

export async function findChat(page: Page, selectors: Partial<Record<Hook, string>>, waitMs: number): Promise<{ input: Locator; send: Locator } | undefined> {
  const input = await firstVisible(
    [
      page.getByTestId('chat-input'),
      page.locator('textarea'),
      page.locator('input:not([type]), input[type="text"], input[type="search"]'),
      page.locator('[contenteditable="true"]'),
    ],
    waitMs,
  );
  if (!input) return undefined;
  const form = input.locator('xpath=ancestor::form[1]');
  const send = await firstVisible(
    [
      page.getByTestId('chat-send'),
      form.locator('button[type="submit"], input[type="submit"], button:not([type])'),
      page.getByRole('button', { name: /send|ask|submit/i }),
    ],
    2000,
  );
  if (!send) return undefined;
  await hookSelector(page, 'chat-input', input, selectors);
  await hookSelector(page, 'chat-send', send, selectors);
  return { input, send };
}

/**
 * Asks the golden prompt in the page while an independent socket of the same user waits for the run's
 * end, then finds the element that shows the answer: one the harness can select, holding the answer and
 * not the user's own words.
 */
async function askAndFindAnswer(
  chat: { page: Page; input: Locator; send: Locator },
  context: UiContext,
  selectors: Partial<Record<Hook, string>>,
  discovery: Discovery,
): Promise<void> {
  const { page } = chat;
  const prompt = goldenPrompt(context.inputs.goldenPrompt);
  const { socketChoice, login, protocol } = context;
  const observer = RecordingSocket.connect(socketChoice.url, await credentialFor(socketChoice.transport, context.inputs.baseUrl, login.user), { protocol });
  try {
    await awaitWelcome(observer, 5000, protocol);
    const knownRuns = new Set(observer.frames.map(({ frame }) => frame.run_id));
    await chat.input.fill(prompt.prompt);
    await chat.send.click();
    await observer
      .waitFor((frame) => frame.type === 'agent_completed' && !knownRuns.has(frame.run_id), 'the end of the run the page started', ANSWER_WAIT_MS)
      .catch(() => undefined);
    const shown = await page
      .getByText(prompt.answer)
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
    if (!shown) {
      discovery.observe('answer in the page', 'not found', `asked "${prompt.prompt}"; ${prompt.expectedAnswer} never showed in the page`);
      discovery.find('ui', `the page never showed the answer to "${prompt.prompt}" (${prompt.expectedAnswer})`);
      return;
    }
    const contractHook = page.getByTestId('assistant-message').filter({ hasText: prompt.answer });
    if (await contractHook.first().isVisible()) {
      discovery.observe('answer in the page', 'found', `asked "${prompt.prompt}"; the answer shows in data-testid=assistant-message`);
      return;
    }
    const selector = await answerSelector(page, prompt.answer, prompt.prompt);
    if (selector) {
      selectors['assistant-message'] = selector;
      discovery.observe('answer in the page', 'found', `asked "${prompt.prompt}"; the answer shows in ${selector} (no data-testid=assistant-message)`);
    } else {
      discovery.observe(
        'answer in the page',
        'not found',
        `asked "${prompt.prompt}"; the answer shows, but in no element a selector can name apart from the user's message`,
      );
      discovery.find('ui', `the answer to "${prompt.prompt}" shows in the page, but in no element the harness can select`);
    }
  } finally {
    observer.close();
  }
}

/** The contract's hook when the page has it (nothing to write), else a selector that finds exactly this element. */
async function hookSelector(page: Page, hook: Hook, element: Locator, selectors: Partial<Record<Hook, string>>): Promise<string> {
  if (await page.getByTestId(hook).first().isVisible()) return `data-testid=${hook}`;
  const selector = await uniqueSelector(page, element);
  if (selector) selectors[hook] = selector;
  return selector ?? 'no selector names it alone';
}

/** The first candidate that is visible, waiting up to `waitMs` for one to be. */
async function firstVisible(candidates: Locator[], waitMs: number): Promise<Locator | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    for (const candidate of candidates) {
      const first = candidate.first();
      if (await first.isVisible().catch(() => false)) return first;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A selector that matches this element and no other: a test attribute, an id, a name, a type, a label. */
async function uniqueSelector(page: Page, element: Locator): Promise<string | undefined> {
  const { tag, attributes, text } = await element.evaluate((node) => ({
    tag: node.tagName.toLowerCase(),
    attributes: Object.fromEntries(Array.from(node.attributes, (attribute) => [attribute.name, attribute.value])),
    text: (node.textContent ?? '').trim(),
  }));
  const quoted = (value: string) => JSON.stringify(value);
  const candidates = [
    ...TEST_ATTRIBUTES.filter((name) => attributes[name]).map((name) => `[${name}=${quoted(attributes[name]!)}]`),
    ...(attributes.id && /^[A-Za-z][\w-]*$/.test(attributes.id) ? [`#${attributes.id}`] : []),
    ...['name', 'type', 'aria-label', 'placeholder', 'autocomplete']
      .filter((name) => attributes[name])
      .map((name) => `${tag}[${name}=${quoted(attributes[name]!)}]`),
    ...(tag === 'button' && text && text.length <= 40 ? [`role=button[name=${quoted(text)}]`] : []),
  ];
  const handle = await element.elementHandle();
  for (const candidate of candidates) {
    const matches = page.locator(candidate);
    if ((await matches.count().catch(() => 0)) !== 1) continue;
    if (await matches.evaluate((node, target) => node === target, handle)) return candidate;
  }
  return undefined;
}

/**
 * The element that shows the answer: from each element holding the answer's text, up through its
 * ancestors that do not also hold the prompt, the one a selector can name (a test attribute, then a
 * class that says assistant or answer), avoiding event logs that may repeat the result.
 */
export async function answerSelector(page: Page, answer: RegExp, prompt: string): Promise<string | undefined> {
  const holders = page.getByText(answer);
  const candidates: Array<{ selector: string; score: number }> = [];
  for (let index = 0; index < Math.min(await holders.count(), 10); index++) {
    candidates.push(
      ...(await holders.nth(index).evaluate(
        (node, { promptText, testAttributes }) => {
          const found: Array<{ selector: string; score: number }> = [];
          const answerLike = /assistant|answer|bot|reply|response/i;
          const logLike = /log|event|debug|tool/i;
          let inLog = false;
          for (let element: Element | null = node; element && element !== document.body; element = element.parentElement) {
            if ((element.textContent ?? '').includes(promptText)) break;
            const tag = element.tagName.toLowerCase();
            for (const name of testAttributes) {
              const value = element.getAttribute(name);
              if (value) found.push({ selector: `[${name}=${JSON.stringify(value)}]`, score: answerLike.test(value) ? 3 : 2 });
            }
            const classes = Array.from(element.classList).filter((name) => answerLike.test(name));
            if (classes.length > 0) found.push({ selector: `${tag}.${classes.join('.')}`, score: 2 });
            if (logLike.test(`${element.className} ${testAttributes.map((name) => element!.getAttribute(name) ?? '').join(' ')}`)) inLog = true;
          }
          return inLog ? found.map((candidate) => ({ ...candidate, score: candidate.score - 2 })) : found;
        },
        { promptText: prompt, testAttributes: TEST_ATTRIBUTES },
      )),
    );
  }
  for (const { selector } of candidates.sort((a, b) => b.score - a.score)) {
    const holdsAnswer = await page.locator(selector).filter({ hasText: answer }).first().isVisible();
    const holdsPrompt = (await page.locator(selector).filter({ hasText: prompt }).count()) > 0;
    if (holdsAnswer && !holdsPrompt) return selector;
  }
  return undefined;
}
