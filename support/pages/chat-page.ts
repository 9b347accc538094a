import type { Locator, Page } from '@playwright/test';

/** The chat view of the contract's UI (`chat-input`, `chat-send`, `assistant-message`). */
export class ChatPage {
  readonly input: Locator;
  readonly sendButton: Locator;
  readonly answers: Locator;

  constructor(readonly page: Page) {
    this.input = page.getByTestId('chat-input');
    this.sendButton = page.getByTestId('chat-send');
    this.answers = page.getByTestId('assistant-message');
  }

  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.sendButton.click();
  }
}
