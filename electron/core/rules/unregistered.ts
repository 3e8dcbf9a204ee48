// Issue 13 §3: `unregistered` acts only once the tracker's explicit message has been seen on
// repeated checks over a grace period, never on one answer and never while a tracker is merely
// unreachable (the model calls that 'error', see shared/tracker-status.ts). The sightings live in
// a small file beside the settings file and the audit log, so the CLI (cron) and the app count
// the same checks. A check is one fresh list of a box in a run or a preview.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SeedboxError } from '../../shared/errors';
import { formatDuration } from '../../shared/format';
import type { Torrent } from '../../shared/model';
import type { UnregisteredGrace } from '../../shared/rules/settings';
import { writeFileAtomically } from '../files/atomic-file';

export const UNREGISTERED_FILE_NAME = 'rules-unregistered.json';

const SightingSchema = z.object({
  /** Unix seconds of the first check that saw the tracker's "unregistered". */
  firstSeen: z.number().finite(),
  lastSeen: z.number().finite(),
  /** Checks that saw it since firstSeen (an unreachable tracker's checks do not count). */
  checks: z.number().int().min(1),
});
export type Sighting = z.infer<typeof SightingSchema>;

/** One box's sightings by torrent id. */
export type BoxSightings = Readonly<Record<string, Sighting>>;

const FileSchema = z.object({
  version: z.literal(1),
  /** By seedbox id, then torrent id. */
  boxes: z.record(z.string(), z.record(z.string(), SightingSchema)),
});
type SightingsFile = z.infer<typeof FileSchema>;

/**
 * A box's sightings after one check of its fresh list, at `now` (unix seconds). Unregistered:
 * counted. Registered again (ok, warning): forgotten, so the grace starts over. Unreachable
 * (error) or no answer yet: kept as it was, neither counted nor reset. Gone from the box: forgotten.
 */
export function observe(previous: BoxSightings | undefined, torrents: readonly Torrent[], now: number): Record<string, Sighting> {
  const next: Record<string, Sighting> = {};
  for (const torrent of torrents) {
    const seen = previous?.[torrent.id];
    if (torrent.trackerStatus === 'unregistered') {
      next[torrent.id] = seen ? { firstSeen: seen.firstSeen, lastSeen: now, checks: seen.checks + 1 } : { firstSeen: now, lastSeen: now, checks: 1 };
    } else if (seen && (torrent.trackerStatus === 'error' || torrent.trackerStatus === null)) {
      next[torrent.id] = seen;
    }
  }
  return next;
}

export interface GraceVerdict {
  passed: boolean;
  /** For the preview and the audit log while it has not passed: "unregistered for 10m, seen on 1 of 2 checks; acts after 1h". */
  reason: string;
}

/** Whether the grace has passed; the engine asks this of every unregistered torrent, so it builds no text. */
export function gracePassed(sighting: Sighting | undefined, grace: UnregisteredGrace, now: number): boolean {
  return sighting !== undefined && sighting.checks >= grace.minChecks && Math.max(0, now - sighting.firstSeen) >= grace.minSeconds;
}

/** Whether a torrent the tracker calls unregistered has been so for long enough; undefined: not checked yet. */
export function graceVerdict(sighting: Sighting | undefined, grace: UnregisteredGrace, now: number): GraceVerdict {
  const rule = `acts after ${formatDuration(grace.minSeconds)}${grace.minChecks > 1 ? ` and ${grace.minChecks} checks` : ''}`;
  const passed = gracePassed(sighting, grace, now);
  if (!sighting) return { passed, reason: `unregistered, not yet checked over the grace period; ${rule}` };
  const elapsed = Math.max(0, now - sighting.firstSeen);
  return { passed, reason: `unregistered for ${formatDuration(elapsed)}, seen on ${sighting.checks} of ${grace.minChecks} checks; ${rule}` };
}

/** The file of sightings in the app's data folder, shared by the app and the CLI. */
export class UnregisteredSightings {
  readonly path: string;

  constructor(options: { configPath: string }) {
    this.path = join(dirname(options.configPath), UNREGISTERED_FILE_NAME);
  }

  /** Every box's sightings as last saved (for a preview that does not read the boxes afresh). */
  async read(): Promise<Readonly<Record<string, BoxSightings>>> {
    return (await this.load()).boxes;
  }

  /**
   * Records one check of a box's fresh list and returns its sightings. Read, changed and written
   * back for this box alone, right away, so an app and a cron job checking at the same time
   * each keep their own boxes' counts.
   */
  async check(seedboxId: string, torrents: readonly Torrent[], now: number): Promise<BoxSightings> {
    const file = await this.load();
    const sightings = observe(file.boxes[seedboxId], torrents, now);
    const boxes = { ...file.boxes };
    if (Object.keys(sightings).length > 0) boxes[seedboxId] = sightings;
    else delete boxes[seedboxId];
    const unchanged = Object.keys(sightings).length === 0 && file.boxes[seedboxId] === undefined;
    if (!unchanged) {
      try {
        await writeFileAtomically(this.path, `${JSON.stringify({ version: 1, boxes } satisfies SightingsFile)}\n`);
      } catch (error) {
        throw new SeedboxError('internal', `Could not save ${this.path}: ${(error as Error).message}. Nothing acted on this seedbox.`, { path: this.path });
      }
    }
    return sightings;
  }

  private async load(): Promise<SightingsFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, boxes: {} };
      throw new SeedboxError('internal', `Cannot read ${this.path}: ${(error as Error).message}.`, { path: this.path });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const checked = FileSchema.safeParse(parsed);
    // Not reset silently: starting over would only delay cleanups, but the user should know why.
    if (!checked.success) throw new SeedboxError('refused', `The record of unregistered torrents ${this.path} is damaged; move it away to start their grace periods over.`, { path: this.path });
    return checked.data;
  }
}
