import type { Locator, Page } from '@playwright/test';

/** Contract data-testid → the selector a UI uses instead (UI_SELECTORS). */
export type UiSelectors = Readonly<Record<string, string>>;

/** The element behind one of the contract's UI hooks: its data-testid, unless UI_SELECTORS says otherwise. */
export function uiHook(page: Page, testId: string, selectors: UiSelectors): Locator {
  const selector = selectors[testId];
  return selector ? page.locator(selector) : page.getByTestId(testId);
}
