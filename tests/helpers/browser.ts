/**
 * Real Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core
 * (no browser download). The flags keep it off the network this machine does not have.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(__dirname, '..', 'artifacts');

/**
 * `userAgent` is set on the command line, not per context: requests the browser finishes after
 * a page is gone (sendBeacon / keepalive on pagehide) do not carry a context's override, and
 * "HeadlessChrome" is a bot the collect endpoint drops.
 */
export async function launchChromium(options: { userAgent?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.userAgent ? [`--user-agent=${options.userAgent}`] : []),
    ],
  });
}

/** Path for a screenshot or other artifact a person may want to look at after the run. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
