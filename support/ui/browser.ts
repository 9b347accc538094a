import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

// On a closed network Chromium's background services only produce refused connections and noise.
const QUIET_FLAGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export interface ChromiumChoice {
  launchOptions: LaunchOptions;
  /** Why no usable Chromium was found; the preflight reports it. */
  problem?: string;
}

/**
 * CHROMIUM_EXECUTABLE when set; else Playwright's own Chromium when installed; else a system Chromium,
 * for machines where `npx playwright install` cannot download.
 */
export function chooseChromium(env: NodeJS.ProcessEnv = process.env): ChromiumChoice {
  const configured = env.CHROMIUM_EXECUTABLE;
  if (configured && !existsSync(configured)) {
    return { launchOptions: {}, problem: `CHROMIUM_EXECUTABLE is ${configured}, but no file is there: unset it or point it at a Chromium binary` };
  }
  if (!configured && existsSync(chromium.executablePath())) return { launchOptions: {} };
  const executablePath = configured || SYSTEM_CHROMIUM_PATHS.find((path) => existsSync(path));
  if (!executablePath) {
    return { launchOptions: {}, problem: "no Chromium found (neither Playwright's nor a system one): run `npm run setup`, or set CHROMIUM_EXECUTABLE" };
  }
  // A system Chromium run as root (CI machines) refuses to start without --no-sandbox.
  const rootFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return { launchOptions: { executablePath, args: [...rootFlags, ...QUIET_FLAGS] } };
}
