import { defineConfig } from '@playwright/test';
import { chooseChromium } from './support/browser.ts';
import { loadEnvFiles } from './support/config/env-files.ts';

// Shell, then .env.<TARGET_PROFILE>, then .env, then .env.engine; the preflight reports what is wrong.
loadEnvFiles();
const external = process.env.TARGET === 'external';

export default defineConfig({
  testDir: 'tests',
  globalSetup: './support/config/preflight.ts',
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
  projects: [
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'e2e', testDir: 'tests', testIgnore: ['unit/**', 'reference-service/**'] },
    // The bundled service's own tests need the local stack.
    ...(external ? [] : [{ name: 'reference-service', testDir: 'tests/reference-service' }]),
  ],
});
