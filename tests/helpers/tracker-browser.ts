/** Shared set-up for the tracker's browser tests: a Strapi with one site key, Chromium, page hiding. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { type BootedStrapi, bootStrapi } from './strapi';
import { CHROME_UA } from './tracking';

export interface TrackerSuite {
  app: BootedStrapi;
  browser: Browser;
}

/**
 * Boots Strapi with `site` allowed for any 127.0.0.1 port and launches Chromium for the
 * surrounding describe block; the fields are filled in beforeAll.
 */
export function useTrackerSuite(site: string): TrackerSuite {
  const suite = {} as TrackerSuite;
  beforeAll(async () => {
    suite.app = await bootStrapi({ env: { MOAT_SITES: `${site}=http://127.0.0.1:*` } });
    suite.browser = await launchChromium({ userAgent: CHROME_UA });
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.destroy();
  });
  return suite;
}

/** Hides the page the way a tab switch does (visibilitychange to hidden). */
export const hidePage = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });

/** Polls until `check` returns a value (not undefined) or time runs out. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
  explain?: () => Promise<unknown>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${explain ? `; have: ${JSON.stringify(await explain())}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
