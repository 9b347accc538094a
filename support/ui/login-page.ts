import type { Locator, Page } from '@playwright/test';
import { uiHook, type UiSelectors } from './ui-hooks.ts';

/** The login form of the contract's UI (`login-email`, `login-password`, `login-submit`). */
export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
    selectors: UiSelectors = {},
  ) {
    this.email = uiHook(page, 'login-email', selectors);
    this.password = uiHook(page, 'login-password', selectors);
    this.submit = uiHook(page, 'login-submit', selectors);
    this.error = uiHook(page, 'login-error', selectors);
  }

  async goto(): Promise<void> {
    await this.page.goto(this.baseUrl);
  }

  async login(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
