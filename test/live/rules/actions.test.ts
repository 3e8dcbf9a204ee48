// Issue 13 §7: every action a rule can take (stop, remove, remove-data, label:+L, label:-L), on
// rTorrent and on Transmission of Debian 12 and 13, chosen by conditions over real ratios and ages
// (test/helpers/aged-torrents.ts), with the box read back after the run through the daemon's own
// API and the disk; then a live space target that removes the oldest seeding torrent by the ages
// the daemon reports. (CLI runs of the same engine, caps and twins: test/live/cli/rules-run.test.ts;
// the policy on every daemon: policy.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { run, type RunBox, type RunResult } from '../../../electron/core/rules/engine';
import { SeedingSettingsSchema } from '../../../electron/shared/rules/settings';
import { AGED_BOXES, dataOnDisk, daysAgo, seedAgedTorrents, type AgedBox, type AgedTorrent, type TorrentHistory } from '../../helpers/aged-torrents';
import { freePort, waitFor } from '../../helpers/processes';

const SIZE = 32 * 1024;

function past(days: number, ratio: number): TorrentHistory {
  return { uploadedBytes: Math.round(ratio * SIZE), addedAt: daysAgo(days), completedAt: daysAgo(days), seedingSeconds: days * 86_400 };
}

/** In order: the first rule that matches a torrent decides. */
const RULES = [
  { name: 'Remove data', condition: 'age > 100d', action: 'remove-data' },
  { name: 'Remove', condition: 'ratio >= 3', action: 'remove' },
  { name: 'Stop', condition: 'age > 40d and ratio < 1', action: 'stop' },
  { name: 'Label', condition: 'ratio >= 1.5', action: { label: 'done', change: 'add' } },
  { name: 'Unlabel', condition: 'age > 20d and label == "new"', action: { label: 'new', change: 'remove' } },
];

describe.each(AGED_BOXES.filter((spec) => spec.kind === 'rtorrent' || spec.kind === 'transmission'))('$title', (spec) => {
  let box: AgedBox;
  let client: TorrentClient;
  let torrents: AgedTorrent[];
  const runBox: RunBox = { seedbox: { id: 'box', name: spec.title }, open: () => Promise.resolve({ client, close: () => Promise.resolve() }) };
  const named = (name: string): AgedTorrent => torrents.find((torrent) => torrent.name === name)!;

  function outcomes(result: RunResult): string[] {
    expect(result.failures).toEqual([]);
    return result.plans.flatMap((plan) => plan.decisions.map((decision) => `${decision.torrent.name}: ${decision.rule.name} ${decision.outcome} ${decision.action}`)).sort();
  }

  beforeAll(async () => {
    box = await spec.start();
    // Nobody answers this tracker: the actions do not depend on one.
    const tracker = `http://127.0.0.1:${await freePort()}/announce`;
    torrents = await seedAgedTorrents(box, [
      { name: 'very old', sizeBytes: SIZE, tracker, history: past(120, 0.2) },
      { name: 'generous', sizeBytes: SIZE, tracker, history: past(10, 3.5) },
      { name: 'stale', sizeBytes: SIZE, tracker, history: past(45, 0.5) },
      { name: 'done seeding', sizeBytes: SIZE, tracker, history: past(5, 2) },
      { name: 'no longer new', sizeBytes: SIZE, tracker, labels: ['new'], history: past(25, 0.5) },
      { name: 'bystander', sizeBytes: SIZE, tracker, labels: ['new'] },
    ]);
    client = box.newClient();
  }, 300_000);

  afterAll(async () => {
    await client?.close();
    await box?.stop();
  });

  it('each action does what it says to exactly its torrent, and the box shows it', async () => {
    const settings = SeedingSettingsSchema.parse({ rules: RULES.map((rule, index) => ({ id: `rule-${index}`, enabled: true, version: 1, mode: 'live', ...rule })) });
    expect(outcomes(await run(settings, [runBox]))).toEqual([
      'done seeding: Label done label:+done',
      'generous: Remove done remove',
      'no longer new: Unlabel done label:-new',
      'stale: Stop done stop',
      'very old: Remove data done remove-data',
    ]);
    // remove-data: gone with its data; remove: gone, its data kept.
    expect(await box.view(named('very old').id)).toBeUndefined();
    expect(dataOnDisk(named('very old'))).toBe(false);
    expect(await box.view(named('generous').id)).toBeUndefined();
    expect(dataOnDisk(named('generous'))).toBe(true);
    await waitFor(`${spec.title} to stop "stale"`, async () => (await box.view(named('stale').id))?.running === false);
    expect(await box.view(named('done seeding').id)).toEqual({ running: true, labels: ['done'] });
    expect(await box.view(named('no longer new').id)).toEqual({ running: true, labels: [] });
    expect(await box.view(named('bystander').id)).toEqual({ running: true, labels: ['new'] });
    for (const name of ['stale', 'done seeding', 'no longer new', 'bystander']) expect(dataOnDisk(named(name)), name).toBe(true);

    // A second run finds nothing left to do but the stop and label already done.
    const again = outcomes(await run(settings, [runBox]));
    expect(again).toEqual(['done seeding: Label skipped label:+done', 'stale: Stop skipped stop']);
  });

  it('a live space target removes the oldest seeding torrents, by the ages the daemon reports, until it holds', async () => {
    // Seeding now: "done seeding" (5 days), "no longer new" (25 days), "bystander" (just added);
    // "stale" is stopped, so removing it frees no seeding space. At most two of them may seed.
    const settings = SeedingSettingsSchema.parse({ spaceTargets: [{ seedboxId: 'box', maxSeedingBytes: 2 * SIZE, order: 'oldest', mode: 'live' }] });
    const result = await run(settings, [runBox]);
    expect(outcomes(result)).toEqual(['no longer new: space target done remove-data']);
    expect(result.plans[0]!.target).toMatchObject({ status: 'reached' });
    expect(await box.view(named('no longer new').id)).toBeUndefined();
    expect(dataOnDisk(named('no longer new'))).toBe(false);
    for (const name of ['stale', 'done seeding', 'bystander']) expect(dataOnDisk(named(name)), name).toBe(true);
    expect(outcomes(await run(settings, [runBox]))).toEqual([]);
  });
});
