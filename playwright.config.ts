import { defineConfig } from '@playwright/test';
import dotenv from 'dotenv';
import { chooseChromium } from './support/browser.ts';

// The shell's own settings win over .env, and .env over the engine `npm run setup` provisioned.
dotenv.config({ path: ['.env', '.env.engine'], quiet: true });

export default defineConfig({
  testDir: 'tests',
  globalSetup: './support/preflight.ts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    ['json', { outputFile: 'reports/results.json' }],
  ],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: chooseChromium().launchOptions,
    // Traces record Authorization headers and typed passwords in clear text; they stay off until redaction exists.
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'reference-service', testDir: 'tests/reference-service' }],
});
