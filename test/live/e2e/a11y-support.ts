// Accessibility checks for the end-to-end tests: axe-core run in the page itself (Debian's
// Chromium, the built window), and a real rtorrent filled with many small stopped torrents.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';
import type { RtorrentInstance } from '../../helpers/rtorrent';
import { makeTorrent } from '../../helpers/torrents';
import { rtorrentCall } from '../rtorrent/support';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, as text: evaluated in the page (page.evaluate is not subject to the page's CSP). */
const AXE_SOURCE = (require('axe-core') as { source: string }).source;

/** What fails a check: WCAG's serious and critical findings (contrast, names, roles, focus). */
const BLOCKING = new Set(['serious', 'critical']);

export interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe over the whole page as it is now (open dialogs and menus included) and returns the
 * serious and critical violations, each with the elements it found, so a failure names them.
 */
export async function axeFindings(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(`(() => { ${AXE_SOURCE}\n })()`);
  const results = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] })`)) as AxeResults;
  return results.violations
    .filter((violation: Result) => BLOCKING.has(violation.impact ?? ''))
    .map((violation: Result) => ({
      rule: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      targets: violation.nodes.slice(0, 40).map((node) => `${node.target.join(' ')}${node.failureSummary ? ` (${node.failureSummary.replaceAll('\n', ' ')})` : ''}`),
    }));
}

const WORDS = ['ubuntu', 'debian', 'podcast', 'lecture', 'dataset', 'archive', 'concert', 'mirror'];

/**
 * Adds `count` small torrents to rtorrent, stopped (load.raw), in multicalls of a thousand:
 * a list as long as a busy seedbox's, with no data and nothing announced.
 */
export async function fillRtorrent(rt: RtorrentInstance, count: number, prefix: string): Promise<void> {
  const BATCH = 1000;
  for (let start = 0; start < count; start += BATCH) {
    const calls = [];
    for (let index = start; index < Math.min(count, start + BATCH); index++) {
      const torrent = makeTorrent({
        dataParent: rt.downloadDir,
        name: `${prefix} ${WORDS[index % WORDS.length]} ${String(index).padStart(5, '0')}`,
        files: [{ path: '', content: `${prefix}-${index}` }],
        writeData: false,
      });
      calls.push({ methodName: 'load.raw', params: ['', Buffer.from(torrent.bytes)] });
    }
    await rtorrentCall(rt, 'system.multicall', [calls]);
  }
}
