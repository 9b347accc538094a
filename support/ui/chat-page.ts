import type { Locator, Page } from '@playwright/test';
import { uiHook, type UiSelectors } from './ui-hooks.ts';

/** The chat view of the contract's UI (`chat-input`, `chat-send`, `assistant-message`). */
export class ChatPage {
  readonly input: Locator;
  readonly sendButton: Locator;
  readonly answers: Locator;

  constructor(
    readonly page: Page,
    selectors: UiSelectors = {},
  ) {
    this.input = uiHook(page, 'chat-input', selectors);
    this.sendButton = uiHook(page, 'chat-send', selectors);
    this.answers = uiHook(page, 'assistant-message', selectors);
  }

  /**
   * Opens the UI already signed in, with the access token where the UI looks for it, for UIs whose own
   * login is OAuth (LOGIN_STRATEGY=api-token or bypass). The token is set before any page script runs.
   */
  async gotoSignedIn(baseUrl: string, accessToken: string, storageKey: string): Promise<void> {
    await this.page.addInitScript(([key, token]) => window.localStorage.setItem(key, token), [storageKey, accessToken] as const);
    await this.page.goto(baseUrl);
  }

  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.sendButton.click();
  }
}
