// The window's start-up with a seedbox that accepts and never answers: `npm run web`'s app
// (the core, the harness, the built window) in Debian's Chromium, timed from the start to the
// page showing the box in its sidebar. A box whose port refuses at once is the control. The
// Electron shell has the same order (window first, boxes behind it); Electron cannot run here.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../test/helpers/chromium';
import { freePort, startSilentServer } from '../test/helpers/processes';
import { timeWebStartup, type StartupTimes } from '../test/helpers/web-startup';
import type { BenchReport } from './report';
import { summarize } from './stats';

const RUNS = 7;
const GOAL_MS = 1000;

export async function benchStartup(log: (line: string) => void): Promise<BenchReport> {
  if (!existsSync(resolve(import.meta.dirname, '../out/web/seedbox-bridge.js'))) throw new Error('Run `npm run build` first: the bench serves the built window.');
  const silent = await startSilentServer();
  const browser = await launchChromium();
  try {
    const refusing = `scgi://127.0.0.1:${await freePort()}`;
    const hung = `scgi://127.0.0.1:${silent.port}`;
    // One untimed start of each, so Chromium's caches are as warm for every timed run.
    await timeWebStartup(browser, refusing);
    await timeWebStartup(browser, hung);
    const hungRuns: StartupTimes[] = [];
    const refusingRuns: StartupTimes[] = [];
    for (let run = 0; run < RUNS; run++) {
      hungRuns.push(await timeWebStartup(browser, hung));
      refusingRuns.push(await timeWebStartup(browser, refusing));
      log(`run ${run + 1}/${RUNS}: hung box shown after ${hungRuns.at(-1)!.shownMs.toFixed(0)} ms`);
    }
    const shown = summarize(hungRuns.map((times) => times.shownMs));
    return {
      title: 'Start-up: window shown with a seedbox that never answers',
      info: [
        ['runs', `${RUNS} (median), after one warm-up of each`],
        ['hung box', 'TCP accepted on 127.0.0.1, no byte ever sent (the client times out after 30 s)'],
        ['accepted', `${silent.accepted()} connections`],
      ],
      figures: [
        { label: 'hung box: start → harness serving', samples: summarize(hungRuns.map((times) => times.servedMs)) },
        { label: 'hung box: start → window shows the box', samples: shown },
        { label: 'refusing box: start → window shows the box', samples: summarize(refusingRuns.map((times) => times.shownMs)) },
      ],
      ratios: [],
      goals: [{ label: `window shown in under ${GOAL_MS} ms with a hung box`, met: shown.median < GOAL_MS, detail: `median ${shown.median.toFixed(1)} ms` }],
    };
  } finally {
    await browser.close();
    await silent.close();
  }
}
