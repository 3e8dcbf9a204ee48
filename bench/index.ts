// `npm run bench`: runs every benchmark inside the private network namespace (see
// scripts/in-netns.mjs) and prints one table per benchmark. Benchmarks are scripts, not tests:
// a missed goal is printed as MISS but does not fail the run; only an error does.
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { formatReport, type BenchReport } from './report';
import { benchRtorrent } from './rtorrent';

interface Bench {
  name: string;
  run: (log: (line: string) => void) => Promise<BenchReport>;
  /** Runs only when named: a setup step rather than a measurement of its own. */
  onlyWhenNamed?: true;
}

/** Add other clients' benches here. `npm run bench -- NAME` runs only the named ones. */
const BENCHES: Bench[] = [
  { name: 'rtorrent', run: benchRtorrent },
  { name: 'poller', run: async (log) => (await import('./poller')).benchPoller(log) },
  { name: 'poller-50k', run: async (log) => (await import('./poller-50k')).benchPoller50k(log) },
  { name: 'poller-apply', run: async (log) => (await import('./poller-apply')).benchPollerApply(log) },
  { name: 'transmission', run: async (log) => (await import('./transmission')).benchTransmission(log) },
  { name: 'qbittorrent', run: async (log) => (await import('./qbittorrent')).benchQbittorrent(log) },
  { name: 'deluge', run: async (log) => (await import('./deluge')).benchDeluge(log) },
  { name: 'ui', run: async (log) => (await import('./ui')).benchUi(log) },
  { name: 'startup', run: async (log) => (await import('./startup')).benchStartup(log) },
  { name: 'rules', run: async (log) => (await import('./rules')).benchRules(log) },
  { name: 'fetch', run: async (log) => (await import('./fetch')).benchFetch(log) },
  { name: 'whole-path-load', run: async (log) => (await import('./whole-path')).benchWholePathLoad(log), onlyWhenNamed: true },
  { name: 'whole-path', run: async (log) => (await import('./whole-path')).benchWholePath(log) },
  { name: 'whole-path-others', run: async (log) => (await import('./whole-path')).benchWholePathOthers(log) },
];

function machine(): string {
  const cores = cpus();
  return [
    `cpu      ${cores[0]?.model.trim() ?? 'unknown'}, ${cores.length} cores`,
    `memory   ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `os       ${type()} ${release()}`,
    `node     ${process.version} (V8 ${process.versions.v8})`,
    loadLine(),
  ].join('\n');
}

/** Other work on the machine skews every figure: the load average says how busy it was. */
function loadLine(): string {
  return `load     ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} (1, 5, 15 min averages)`;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown bench: ${unknown.join(', ')} (available: ${BENCHES.map((bench) => bench.name).join(', ')})`);
    return 2;
  }
  const selected = wanted.length > 0 ? BENCHES.filter((bench) => wanted.includes(bench.name)) : BENCHES.filter((bench) => !bench.onlyWhenNamed);
  console.log(`${machine()}\ndate     ${new Date().toISOString()}\n`);
  let failed = false;
  for (const bench of selected) {
    try {
      const report = await bench.run((line) => console.error(`[${bench.name}] ${line}`));
      console.log(`\n${formatReport(report)}\n\n${loadLine()} at the end\n`);
    } catch (error) {
      failed = true;
      console.error(`[${bench.name}] failed:`, error);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
