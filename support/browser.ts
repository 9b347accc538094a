import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

// On a closed network Chromium's background services only produce refused connections and noise.
const QUIET_FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * Playwright's own Chromium when it is installed; otherwise CHROMIUM_EXECUTABLE or a system Chromium, for
 * machines where `npx playwright install` cannot download.
 */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const configured = env.CHROMIUM_EXECUTABLE;
  if (configured && !existsSync(configured)) {
    throw new Error(`CHROMIUM_EXECUTABLE is ${configured}, but no file is there; unset it or point it at a Chromium binary`);
  }
  const managed = existsSync(chromium.executablePath()) ? undefined : SYSTEM_CHROMIUM_PATHS.find((path) => existsSync(path));
  const executablePath = configured || managed;
  if (!executablePath) return {};
  // A system Chromium run as root (CI containers) refuses to start without --no-sandbox.
  const rootFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return { executablePath, args: [...rootFlags, ...QUIET_FLAGS] };
}
