import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, type SeededUser } from '../../fixtures/index.ts';

async function logIn(page: Page, baseUrl: string, user: SeededUser) {
  await page.goto(baseUrl);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
}

test.describe('chat UI', () => {
  test('a user logs in, asks, sees the events stream in and the answer rendered', { tag: '@golden-path' }, async ({ page, referenceService, createUser }) => {
    const user = await createUser();
    const [a, b] = [randomInt(10_000, 99_999), randomInt(2, 99)];
    await logIn(page, referenceService.baseUrl, user);
    await expect(page.getByTestId('current-user')).toHaveText(user.email);

    await page.getByTestId('chat-input').fill(`What is ${a} * ${b}?`);
    await page.getByTestId('chat-send').click();

    await expect(page.getByTestId('assistant-message')).toHaveText(`${a} * ${b} = ${a * b}`);
    await expect(page.getByTestId('event-item')).toHaveCount(6);
    const types = await page.getByTestId('event-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
    expect(types).toEqual(['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_thinking', 'agent_completed']);
  });

  test('a wrong password shows the reason and stays on the login form', async ({ page, referenceService, createUser }) => {
    const user = await createUser();
    await page.goto(referenceService.baseUrl);
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill(`${user.password}-wrong`);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveText('the email or password is wrong');
    await expect(page.getByTestId('chat-input')).toBeHidden();
  });

  test('with ui_no_render the events arrive but the answer is never rendered', async ({ page, launchService, createUser }) => {
    const service = await launchService({ faults: ['ui_no_render'] });
    await logIn(page, service.baseUrl, await createUser());
    await page.getByTestId('chat-input').fill('What is 6 * 7?');
    await page.getByTestId('chat-send').click();
    await expect(page.locator('[data-event-type="agent_completed"]')).toHaveCount(1);
    await expect(page.getByTestId('assistant-message')).toHaveCount(0);
  });
});
