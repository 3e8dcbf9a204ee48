// The window with 50 000 torrents, in Debian's Chromium: the built renderer served by the
// browser harness, fed through the real event path (torrents:delta over the harness's socket
// into the bridge, the torrents store, the table) by a stub service standing in for the core.
// Measured in the page with performance.now(): a figure ends when the frame after the change
// has been painted (requestAnimationFrame, then a message once that frame is done).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { EventChannel, EventPayload, InvokeHandlers, TorrentDelta } from '../electron/shared/contract';
import { PreferencesSchema } from '../electron/shared/contract';
import type { Torrent, TorrentState } from '../electron/shared/model';
import { SeedboxSchema } from '../electron/shared/seedbox';
import { createEventSource, type CoreEvents } from '../electron/core/events';
import type { SeedboxServiceApi } from '../electron/core/service/types';
import { snapshotDeltas } from '../electron/core/polling/poller';
import { startHarness } from '../electron/web/harness';
import { toWire } from '../electron/shared/wire';
import { launchChromium } from '../test/helpers/chromium';
import type { BenchReport, Figure } from './report';
import { summarize, type Samples } from './stats';

const ROOT = resolve(import.meta.dirname, '..');
const BOXES = ['alpha', 'bravo'];
const PER_BOX = 25_000;
const TOTAL = BOXES.length * PER_BOX;
/** 1 % of every row changes per tick, all in one box's delta: the heaviest single delta. */
const CHANGED = TOTAL / 100;
const RUNS = 7;
/** Snapshots are chunked as the service chunks them; BENCH_UI_WHOLE=1 sends each box whole. */
const WHOLE = process.env['BENCH_UI_WHOLE'] === '1';

const WORDS = ['ubuntu', 'debian', 'fedora', 'arch', 'podcast', 'lecture', 'dataset', 'archive', 'concert', 'nature', 'linux', 'backup', 'mirror', 'docs', 'images', 'audio'];
const STATES: TorrentState[] = ['seeding', 'seeding', 'seeding', 'downloading', 'paused', 'queued', 'checking', 'error'];

function hashOf(box: number, index: number): string {
  return (box.toString(16).padStart(8, '0') + index.toString(16).padStart(8, '0')).repeat(3).slice(0, 40);
}

function torrentOf(box: number, index: number): Torrent {
  const state = STATES[index % STATES.length]!;
  const size = 1e6 + ((index * 7919) % 50_000) * 1e5;
  const progress = state === 'seeding' ? 1 : ((index * 31) % 100) / 100;
  return {
    id: hashOf(box, index),
    name: `${WORDS[index % WORDS.length]} ${WORDS[(index >> 4) % WORDS.length]} ${index} ${(index * 2654435761) % 1e9}`,
    state,
    progress,
    sizeBytes: size,
    doneBytes: size * progress,
    uploadedBytes: index * 1000,
    downloadedBytes: size * progress,
    ratio: (index % 50) / 10,
    downRate: state === 'downloading' ? index % 100_000 : 0,
    upRate: index % 3 === 0 ? index % 50_000 : 0,
    etaSeconds: state === 'downloading' ? index % 86_400 : null,
    peersConnected: index % 5,
    peersTotal: index % 40,
    seedsConnected: index % 3,
    seedsTotal: index % 30,
    labels: index % 4 === 0 ? [] : [WORDS[index % 7]!],
    savePath: `/srv/${BOXES[box]}/downloads`,
    addedAt: 1_700_000_000_000 + index * 60_000,
    completedAt: state === 'seeding' ? 1_700_000_000_000 + index * 90_000 : null,
    trackerHosts: [`tracker${index % 12}.example`],
    message: state === 'error' ? 'Tracker: unregistered torrent' : '',
    queuePosition: state === 'queued' ? index % 100 : null,
    seedingSeconds: null,
    lastActivityAt: null,
    private: null,
    trackerStatus: null,
    trackerMessage: '',
  };
}

const stats = { downRate: 0, upRate: 0, freeSpaceBytes: 1e12, alternativeSpeedEnabled: false, count: PER_BOX, countsByState: {} as Record<TorrentState, number> };

/** One box's snapshot, chunked as the service chunks it. */
function snapshot(box: number): TorrentDelta[] {
  return snapshotDeltas({ seedboxId: BOXES[box]!, torrents: Array.from({ length: PER_BOX }, (_, index) => torrentOf(box, index)), stats, ...(WHOLE ? { firstChunkSize: PER_BOX, chunkSize: PER_BOX } : {}) });
}

/** One tick of box 0: CHANGED rows move their rates and progress (a different slice each tick). */
function tick(serial: number): TorrentDelta {
  const changed = Array.from({ length: CHANGED }, (_, n) => {
    const index = (serial * CHANGED + n * 37) % PER_BOX;
    return { id: hashOf(0, index), downRate: (serial * 1000 + n) % 900_000, upRate: (serial * 77 + n) % 400_000, progress: ((serial + n) % 100) / 100, peersConnected: serial % 9 };
  });
  return { seedboxId: BOXES[0]!, full: false, added: [], changed, removed: [], stats };
}

/** Just enough of the core for the window: two connected boxes, and deltas when the bench says. */
function stubService(): SeedboxServiceApi & { emit: (delta: TorrentDelta) => void } {
  const listeners = new Set<<E extends EventChannel>(channel: E, payload: EventPayload<E>) => void>();
  const capabilities = { labels: true, multipleLabels: false, queue: false, deleteData: true, moveStorage: true, alternativeSpeed: false, pushEvents: false, freeSpace: true, perTorrentSpeedLimits: true, filePriorities: ['skip', 'normal', 'high'] as const, addFromUrl: true };
  const known: Partial<InvokeHandlers> = {
    'app:info': async () => ({ version: 'bench', platform: 'linux', systemLanguages: [], secretStore: { kind: 'memory', unavailable: null } }),
    'preferences:get': async () => PreferencesSchema.parse({}),
    'seedboxes:list': async () =>
      BOXES.map((id) => ({ ...SeedboxSchema.parse({ id, name: `Box ${id}`, kind: 'rtorrent', url: `scgi:///srv/${id}.sock` }), secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false } })),
    'seedboxes:statuses': async () =>
      BOXES.map((seedboxId) => ({ seedboxId, state: 'connected' as const, nextAttemptAt: null, offlineSince: null, error: null, info: { kind: 'rtorrent' as const, version: '0.9.8', protocol: 'xmlrpc', capabilities: { ...capabilities, filePriorities: [...capabilities.filePriorities] } } })),
  };
  const handlers = new Proxy(known, { get: (target, channel: string) => target[channel as keyof InvokeHandlers] ?? (async () => null) }) as InvokeHandlers;
  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    events: createEventSource<CoreEvents>(),
    pauseAll: async () => undefined,
    resumeAll: async () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
    emit(delta) {
      for (const listener of listeners) listener('torrents:delta', delta);
    },
  };
}

// The page-side code is JavaScript source (the bench is compiled without the DOM's types).

/**
 * Runs in the page before its scripts: wraps the bridge's WebSocket message listener so each
 * message records when it arrived, when the bridge's handler (parse + store) returned, when
 * Vue's re-render that it queued had run (a microtask queued after the handler runs after it),
 * and when the next frame had been painted, with how many table rows it showed.
 */
/** The grid's aria-rowcount for a list of `rows` torrents: WAI-ARIA counts the header row too. */
export function gridRowCount(rows: number): number {
  return rows + 1;
}

export const INSTRUMENT = `(() => {
  const bench = { messages: [] };
  window.__bench = bench;
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, options);
    return add.call(this, type, function (event) {
      const start = performance.now();
      try {
        listener.call(this, event);
      } finally {
        const handled = performance.now();
        queueMicrotask(() => {
          const timing = { start, handled, rendered: performance.now(), painted: 0, rows: 0 };
          bench.messages.push(timing);
          requestAnimationFrame(() => {
            timing.rows = document.querySelectorAll('.row').length;
            const channel = new MessageChannel();
            channel.port1.onmessage = () => { timing.painted = performance.now(); };
            channel.port2.postMessage(0);
          });
        });
      }
    }, options);
  };
})()`;

/** In the page: resolves with performance.now() once the next frame has been painted. */
export const AFTER_PAINT = `() => new Promise((done) => requestAnimationFrame(() => { const channel = new MessageChannel(); channel.port1.onmessage = () => done(performance.now()); channel.port2.postMessage(0); }))`;

async function openWindow(url: string, page: Page): Promise<void> {
  // The same URL again would only be a same-document (fragment) navigation: leave first.
  await page.goto('about:blank');
  await page.goto(url);
  await page.locator('.seedbox-item').nth(BOXES.length - 1).waitFor();
}

/** BENCH_UI_PROFILE=1: Chromium's sampling profiler over `work`, the top functions by self time. */
async function profile(page: Page, what: string, runs: number, work: () => Promise<void>, log: (line: string) => void): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await work();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (deltas[index] ?? 0) / 1000);
  });
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`profile ${what} ${(ms / runs).toFixed(2)} ms/run  ${name}`);
}

export async function benchUi(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  if (!existsSync(join(ROOT, 'out/web/seedbox-bridge.js'))) throw new Error('Run `npm run build` first: the bench serves the built window.');
  const service = stubService();
  const harness = await startHarness({ service, rendererDir: join(ROOT, 'out/renderer'), bridgeScript: join(ROOT, 'out/web/seedbox-bridge.js') });
  const browser = await launchChromium();
  const snapshots = BOXES.map((_, box) => snapshot(box));
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(INSTRUMENT);
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    const messages = (): Promise<{ start: number; handled: number; rendered: number; painted: number; rows: number }[]> => page.evaluate('window.__bench.messages');
    const afterPaint = (): Promise<number> => page.evaluate(`(${AFTER_PAINT})()`) as Promise<number>;

    // First render: a fresh window, then both boxes' snapshots (in chunks); from the first
    // chunk's arrival to the first frame that shows rows (first rows), and to the frame that
    // shows all 50 000 in the table (all rows).
    const firstRender: number[] = [];
    const allRows: number[] = [];
    const firstHandled: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await openWindow(harness.url, page);
      const before = (await messages()).length;
      for (const delta of snapshots.flat()) service.emit(delta);
      await page.locator(`[role="grid"][aria-rowcount="${gridRowCount(TOTAL)}"]`).waitFor({ timeout: 60_000 });
      const painted = await afterPaint();
      const timings = (await messages()).slice(before);
      if (timings.length === 0) throw new Error(`no message timed (${before} before, ${(await messages()).length} after, ${await page.locator('[role="grid"]').getAttribute('aria-rowcount')} rows)`);
      const firstPainted = timings.find((timing) => timing.rows > 0 && timing.painted > 0);
      if (!firstPainted) throw new Error('no frame with rows was timed');
      firstRender.push(firstPainted.painted - timings[0]!.start);
      allRows.push(painted - timings[0]!.start);
      firstHandled.push(timings.reduce((sum, timing) => sum + (timing.rendered - timing.start), 0));
    }
    log(`first render ${summarize(firstRender).median.toFixed(1)} ms, all rows ${summarize(allRows).median.toFixed(1)} ms`);

    // Sort: a click on a header (pointerdown then pointerup, as the table listens) to the repaint.
    const sort: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const column = run % 2 === 0 ? 'size' : 'name';
      const elapsed = (await page.evaluate(`(async () => {
        const header = document.querySelector('.th[data-column="${column}"]');
        const firstBefore = document.querySelector('.row')?.getAttribute('data-key');
        const start = performance.now();
        header.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0, clientX: 10, clientY: 10 }));
        window.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, button: 0, clientX: 10, clientY: 10 }));
        const painted = await (${AFTER_PAINT})();
        if (document.querySelector('.row')?.getAttribute('data-key') === firstBefore) throw new Error('sorting by ${column} did not change the first row');
        return painted - start;
      })()`)) as number;
      if (run > 0) sort.push(elapsed);
    }
    log(`sort ${summarize(sort).median.toFixed(1)} ms`);

    // Search: one character typed into the search field to the filtered list painted.
    const search: number[] = [];
    await page.locator('input[type="search"]').focus();
    for (let run = 0; run < RUNS + 1; run++) {
      await page.locator('input[type="search"]').fill('');
      await page.locator(`[role="grid"][aria-rowcount="${gridRowCount(TOTAL)}"]`).waitFor();
      // "k" is in one word of sixteen ("backup"): a list of a few thousand rows.
      const elapsed = (await page.evaluate(`(async () => {
        const input = document.querySelector('input[type="search"]');
        const start = performance.now();
        input.value = 'k';
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'k', inputType: 'insertText' }));
        const painted = await (${AFTER_PAINT})();
        const count = Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount'));
        if (!(count > 1)) throw new Error('the search found ' + (count - 1) + ' rows');
        return painted - start;
      })()`)) as number;
      if (run > 0) search.push(elapsed);
    }
    await page.locator('input[type="search"]').fill('');
    log(`search keystroke ${summarize(search).median.toFixed(1)} ms`);

    // A tick: one delta with 1 % of all rows changed; main-thread time from its arrival to the
    // end of the re-render it caused, and to the frame painted.
    const deltaJs: number[] = [];
    const deltaPainted: number[] = [];
    for (let run = 0; run < RUNS * 2 + 1; run++) {
      const before = (await messages()).length;
      service.emit(tick(run + 1));
      // A polling loop in the page: waitForFunction's string predicates need eval, which the CSP refuses.
      await page.evaluate(`(async () => { while (window.__bench.messages.length <= ${before}) await new Promise((done) => setTimeout(done, 1)); })()`);
      const painted = await afterPaint();
      const timing = (await messages())[before]!;
      if (run === 0) continue;
      deltaJs.push(timing.rendered - timing.start);
      deltaPainted.push(painted - timing.start);
    }
    log(`delta ${summarize(deltaJs).median.toFixed(1)} ms`);
    // BENCH_UI_PROFILE=1: where the time of a delta and of a first render goes (Chromium's
    // profiler); BENCH_UI_TRACE=file.json: a first render in Chromium's trace format.
    if (process.env['BENCH_UI_PROFILE']) {
      await profile(page, 'delta', 10, async () => {
        for (let serial = 100; serial < 110; serial++) {
          service.emit(tick(serial));
          await afterPaint();
        }
      }, log);
    }
    if (process.env['BENCH_UI_PROFILE'] || process.env['BENCH_UI_TRACE']) {
      // The default sort, as in the measured first renders.
      await page.evaluate(`localStorage.removeItem('seedbox-remote.sort.v1')`);
      await openWindow(harness.url, page);
      const firstRender = async (): Promise<void> => {
        for (const delta of snapshots.flat()) service.emit(delta);
        await page.locator(`[role="grid"][aria-rowcount="${gridRowCount(TOTAL)}"]`).waitFor({ timeout: 60_000 });
        await afterPaint();
      };
      const trace = process.env['BENCH_UI_TRACE'];
      if (trace) {
        await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'v8', 'blink', 'toplevel', 'disabled-by-default-devtools.timeline'] });
        await firstRender();
        await browser.stopTracing();
      } else {
        await profile(page, 'first render', 1, firstRender, log);
      }
    }

    const figures: Figure[] = [
      { label: 'first render (first chunk → rows painted)', samples: summarize(firstRender), note: `${TOTAL} rows, ${BOXES.length} boxes, ${WHOLE ? "each box whole" : "chunked as the service sends them"}` },
      { label: 'all rows (first chunk → all painted)', samples: summarize(allRows) },
      { label: '  of which main thread in handlers', samples: summarize(firstHandled), note: 'parse + store + render' },
      { label: 'sort by a column (click → painted)', samples: summarize(sort), note: 'size, name alternately' },
      { label: 'search keystroke (input → painted)', samples: summarize(search) },
      { label: 'delta, main thread (parse+apply+render)', samples: summarize(deltaJs), note: `${CHANGED} changed rows` },
      { label: 'delta (arrival → painted)', samples: summarize(deltaPainted) },
    ];
    const goal = (label: string, samples: Samples, limit: number) => ({ label, met: samples.median < limit, detail: `median ${samples.median.toFixed(1)} ms (goal < ${limit} ms)` });
    return {
      title: `Window with ${TOTAL.toLocaleString('en')} torrents (Chromium ${browser.version()})`,
      info: [
        ['boxes', `${BOXES.length} × ${PER_BOX.toLocaleString('en')} torrents`],
        ['snapshot', `${(JSON.stringify(snapshots[0]).length / 1e6).toFixed(1)} MB of JSON per box, ${(toWire(snapshots[0]).length / 1e6).toFixed(1)} MB on the harness's wire, in ${snapshots[0]!.length} deltas`],
        ['runs', `${RUNS} per figure (median)`],
      ],
      figures,
      ratios: [],
      goals: [
        goal('first render', summarize(firstRender), 300),
        goal('sort', summarize(sort), 100),
        goal('filter keystroke', summarize(search), 50),
        goal('delta apply (1 % changed)', summarize(deltaJs), 8),
      ],
    };
  } finally {
    await browser.close();
    await harness.close();
  }
}
