// Fetching over SFTP: ours (core/fetch, ssh2) against OpenSSH's own `sftp -b` client, the same
// files from the same sshd on loopback, in one run: one large file (FETCH_BENCH_MIB, the issue's
// 1 GiB by default) and 1 000 small files of 16 KiB. Each run includes
// connecting and logging in, as both clients must. Goal: ours at least 0.8 of sftp's
// throughput for both, memory bounded (peak RSS growth printed for both).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SshTunnel } from '../electron/core/connections/ssh-tunnel';
import { fetchTorrent, type SftpConnection } from '../electron/core/fetch/fetch-torrent';
import { tempDir } from '../test/helpers/processes';
import { rootKeyLogin, startSshd, type SshdInstance } from '../test/helpers/sshd';
import { modelTorrent } from '../test/helpers/model';
import { filler } from '../test/helpers/torrents';
import type { Torrent } from '../electron/shared/model';
import type { BenchReport, Figure } from './report';
import { summarize } from './stats';

const LARGE_MIB = Number(process.env['FETCH_BENCH_MIB'] ?? 1024);
const SMALL_COUNT = 1000;
const SMALL_BYTES = 16 * 1024;
const RUNS = 3;
const GOAL = 0.8;

interface Run {
  ms: number;
  peakRssBytes: number;
}

/** The torrents the app's main process holds while it fetches (the 50 000). */
const CATALOGUE_TORRENTS = 50_000;

/**
 * Runs `run` while this process holds a catalogue of torrents as the app's main process does.
 * The heap's size changes what a fetch costs: V8 sizes its next full collection from the live
 * heap, and ssh2's buffers (one per socket read, per SFTP reply) count towards it, so a process
 * with a heap of a few MiB (this bench, the CLI) runs a full collection every few MiB fetched,
 * and one with the app's heap rarely does.
 */
async function withCatalogue(run: () => Promise<Run>): Promise<Run> {
  const held: { catalogue: Torrent[] } = { catalogue: [] };
  held.catalogue = Array.from({ length: CATALOGUE_TORRENTS }, (_, index) =>
    modelTorrent({
      id: index.toString(16).padStart(40, '0'),
      name: `Some.Show.S${index % 30}E${index % 24}.1080p.WEB.h264-GROUP.${index}`,
      savePath: `/home/seedbox/downloads/${index % 200}`,
      labels: [`label${index % 20}`],
      trackerHosts: [`tracker${index % 50}.example.org`],
      message: index % 10 === 0 ? `Tracker: [Failure reason "unregistered torrent ${index}"]` : '',
    }),
  );
  try {
    return await run();
  } finally {
    // Held until the run ends (read here, so kept alive), then let go.
    held.catalogue = [];
  }
}

async function ours(sshd: SshdInstance, name: string, savePath: string, files: { index: number; path: string; sizeBytes: number }[], forcedConnections?: number): Promise<Run> {
  const destination = tempDir('bench-fetch-ours');
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const start = performance.now();
  try {
    const login = rootKeyLogin(sshd, { kind: 'tcp', host: '127.0.0.1', port: 9 });
    const tunnel = await SshTunnel.open(login);
    const sftp = await tunnel.sftp();
    // As the app does (core/connections/open.ts): a large file's extra connections log in too, within the time measured.
    const openConnection = async (): Promise<SftpConnection> => {
      const extra = await SshTunnel.open(login);
      return { sftp: await extra.sftp(), close: () => extra.close() };
    };
    const report = await fetchTorrent(sftp, { name, savePath, files, destination }, { openConnection, ...(forcedConnections ? { connectionsPerLargeFile: forcedConnections, extraConnectionsFromRoundTripMs: 0 } : {}) });
    if (report.extraConnectionsFailed) throw new Error(`extra connections failed: ${report.extraConnectionsFailed.message}`);
    if (report.files.some((file) => file.outcome !== 'fetched')) throw new Error(`our fetch failed: ${JSON.stringify(report.files.find((file) => file.outcome !== 'fetched'))}`);
    await tunnel.close();
    return { ms: performance.now() - start, peakRssBytes: Math.max(peak, process.memoryUsage.rss()) - baseline };
  } finally {
    clearInterval(sampler);
    rmSync(destination, { recursive: true, force: true });
  }
}

/** OpenSSH's sftp in batch mode, host key checked against the same key we pin. */
async function openssh(sshd: SshdInstance, command: string): Promise<Run> {
  const destination = tempDir('bench-fetch-sftp');
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${readFileSync(join(sshd.dir, 'host_ed25519.pub'), 'utf8')}`);
  const batch = join(destination, '.batch');
  writeFileSync(batch, `lcd ${destination}\n${command}\n`);
  const start = performance.now();
  const child = spawn(
    'sftp',
    ['-q', '-F', '/dev/null', '-b', batch, '-i', sshd.rootKey.privateKeyPath, '-P', String(sshd.port), '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes', 'root@127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak = 0;
  // The high-water mark of its resident memory, read while it runs.
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // It has exited.
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ms = performance.now() - start;
  clearInterval(sampler);
  rmSync(destination, { recursive: true, force: true });
  if (code !== 0) throw new Error(`sftp exited with ${code}: ${stderr}`);
  return { ms, peakRssBytes: peak };
}

/** `runAlso`: variants of ours measured in the same rounds, shown beside (not in the ratio). */
async function compare(
  label: string,
  bytes: number,
  runOurs: () => Promise<Run>,
  runTheirs: () => Promise<Run>,
  runAlso: { label: string; run: () => Promise<Run> }[] = [],
): Promise<{ figures: Figure[]; ratio: number; alsoRatios: number[]; ourPeak: number; theirPeak: number }> {
  const ourRuns: Run[] = [];
  const theirRuns: Run[] = [];
  const alsoRuns: Run[][] = runAlso.map(() => []);
  // Warm the page cache and both code paths once, then alternate so drift hits both alike.
  await runOurs();
  await runTheirs();
  for (let i = 0; i < RUNS; i++) {
    ourRuns.push(await runOurs());
    theirRuns.push(await runTheirs());
    for (const [index, also] of runAlso.entries()) alsoRuns[index]!.push(await also.run());
  }
  const ourSamples = summarize(ourRuns.map((run) => run.ms));
  const theirSamples = summarize(theirRuns.map((run) => run.ms));
  const alsoSamples = alsoRuns.map((runs) => summarize(runs.map((run) => run.ms)));
  return {
    figures: [
      { label: `${label}: ours (ssh2)`, samples: ourSamples, bytes },
      { label: `${label}: OpenSSH sftp -b`, samples: theirSamples, bytes },
      ...runAlso.map((also, index) => ({ label: `${label}: ${also.label}`, samples: alsoSamples[index]!, bytes })),
    ],
    ratio: theirSamples.median / ourSamples.median,
    alsoRatios: alsoSamples.map((samples) => theirSamples.median / samples.median),
    ourPeak: Math.max(...ourRuns.map((run) => run.peakRssBytes)),
    theirPeak: Math.max(...theirRuns.map((run) => run.peakRssBytes)),
  };
}

export async function benchFetch(log: (line: string) => void): Promise<BenchReport> {
  const sshd = await startSshd({ sftp: true });
  const box = tempDir('bench-fetch-box');
  try {
    log(`writing ${LARGE_MIB} MiB and ${SMALL_COUNT} small files`);
    const largeBytes = LARGE_MIB * 1024 * 1024;
    const chunk = filler('large', 1024 * 1024);
    mkdirSync(join(box, 'large'));
    // One MiB at a time: a 1 GiB buffer would swell the process whose RSS growth is measured.
    const largeFd = openSync(join(box, 'large', 'large.bin'), 'w');
    try {
      for (let mib = 0; mib < LARGE_MIB; mib++) writeSync(largeFd, chunk);
    } finally {
      closeSync(largeFd);
    }
    mkdirSync(join(box, 'small'));
    const smallFiles = Array.from({ length: SMALL_COUNT }, (_, index) => {
      const path = `f${String(index).padStart(4, '0')}.bin`;
      writeFileSync(join(box, 'small', path), filler(`small${index}`, SMALL_BYTES));
      return { index, path, sizeBytes: SMALL_BYTES };
    });

    log('one large file');
    const large = await compare(
      `1 file of ${LARGE_MIB} MiB`,
      largeBytes,
      () => ours(sshd, 'large', box, [{ index: 0, path: 'large.bin', sizeBytes: largeBytes }]),
      () => openssh(sshd, `get ${join(box, 'large', 'large.bin')}`),
      [
        // What the extra connections a distant box gets would bring here, in the same rounds.
        { label: 'ours over 3 connections', run: () => ours(sshd, 'large', box, [{ index: 0, path: 'large.bin', sizeBytes: largeBytes }], 3) },
        // The same fetch in a process that holds what the app's main process holds.
        {
          label: `ours beside ${CATALOGUE_TORRENTS} torrents in memory`,
          run: () => withCatalogue(() => ours(sshd, 'large', box, [{ index: 0, path: 'large.bin', sizeBytes: largeBytes }])),
        },
      ],
    );
    log('1 000 small files');
    const small = await compare(
      `${SMALL_COUNT} files of 16 KiB`,
      SMALL_COUNT * SMALL_BYTES,
      () => ours(sshd, 'small', box, smallFiles),
      () => openssh(sshd, `get -r ${join(box, 'small')}`),
    );
    const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    return {
      title: 'Fetch over SFTP: ours vs OpenSSH sftp, loopback',
      info: [
        ['sshd', 'OpenSSH internal-sftp on 127.0.0.1'],
        ['ours', 'ssh2, 16 reads of 128 KiB in flight per file and connection, 3 SSH connections for a file of 64 MiB or more when the round trip is 5 ms or more (so 1 here), 32 files at once, 128 reads across them, writes in order, flushed every 32 MiB'],
        ['runs', `${RUNS} each after one warm-up, alternating`],
      ],
      figures: [...large.figures, ...small.figures],
      ratios: [
        ['large: our throughput / sftp', large.ratio.toFixed(2)],
        ['large over 3 connections: our throughput / sftp', large.alsoRatios[0]!.toFixed(2)],
        [`large beside ${CATALOGUE_TORRENTS} torrents in memory: our throughput / sftp`, large.alsoRatios[1]!.toFixed(2)],
        ['small: our throughput / sftp', small.ratio.toFixed(2)],
        ['large: peak RSS growth ours / sftp', `${mib(large.ourPeak)} / ${mib(large.theirPeak)}`],
        ['small: peak RSS growth ours / sftp', `${mib(small.ourPeak)} / ${mib(small.theirPeak)}`],
      ],
      goals: [
        { label: `one large file at >= ${GOAL} of sftp`, met: large.ratio >= GOAL, detail: large.ratio.toFixed(2) },
        { label: `1 000 small files at >= ${GOAL} of sftp`, met: small.ratio >= GOAL, detail: small.ratio.toFixed(2) },
        { label: 'memory bounded (< 64 MiB growth)', met: Math.max(large.ourPeak, small.ourPeak) < 64 * 2 ** 20, detail: mib(Math.max(large.ourPeak, small.ourPeak)) },
      ],
    };
  } finally {
    await sshd.stop();
    rmSync(box, { recursive: true, force: true });
  }
}
