// Debian's Chromium, driven by playwright-core, for the window's live tests and its benchmark.
import { chromium, type Browser } from 'playwright-core';

/** Headless, and quiet: nothing here may reach beyond loopback (no updates, sync or QUIC). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
