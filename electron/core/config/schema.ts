// The settings file: its schema (the current version only) and the steps that bring older
// files up to it. There is deliberately no field for a secret anywhere in here: passwords live
// in the keychain, and anything unknown in the file is dropped when it is read.
import { z } from 'zod';
import { PreferencesSchema } from '../../shared/contract';
import { SeedboxSchema } from '../../shared/seedbox';
import { SeedingSettingsSchema, defaultSeedingSettings } from '../../shared/rules/settings';
import { FetchOnCompleteListSchema } from '../../shared/fetch';

/** The format this build writes. Raise it together with a new step in MIGRATIONS. */
export const CONFIG_VERSION = 2;

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const ConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    seedboxes: z.array(SeedboxSchema).max(1000),
    preferences: PreferencesSchema,
    window: WindowStateSchema.optional(),
    /** The user's answer to "open magnet links with this app?", asked once (electron/main/magnet-handler.ts). */
    magnetLinks: z.enum(['accepted', 'declined']).optional(),
    /** Seeding rules, protections, space targets and caps (issue 13 §3), shared with the CLI. */
    seeding: SeedingSettingsSchema,
    /** Fetch on completion, one rule per seedbox (issue 15 §2); absent in older files. */
    fetchOnComplete: FetchOnCompleteListSchema.default([]),
  })
  .superRefine((config, context) => {
    // The registry keys secrets and everything else by id: two boxes with one id would share them.
    const seen = new Set<string>();
    for (const [index, seedbox] of config.seedboxes.entries()) {
      if (seen.has(seedbox.id)) context.addIssue({ code: 'custom', path: ['seedboxes', index, 'id'], message: `duplicate seedbox id "${seedbox.id}"` });
      seen.add(seedbox.id);
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

export function defaultConfig(): Config {
  return { version: CONFIG_VERSION, seedboxes: [], preferences: PreferencesSchema.parse({}), seeding: defaultSeedingSettings(), fetchOnComplete: [] };
}

/**
 * MIGRATIONS[n] turns a version-n file (as parsed JSON) into a version n+1 file. Steps only
 * reshape; the schema validates the result. A file without "version" is version 0.
 */
export const MIGRATIONS: Record<number, (file: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 0: the early layout, before the file carried its version; missing lists were allowed.
  0: (file) => ({ ...file, version: 1, seedboxes: file['seedboxes'] ?? [], preferences: file['preferences'] ?? {} }),
  // Version 1: before seeding rules; they start empty (the schema fills the default caps).
  1: (file) => ({ ...file, version: 2, seeding: {} }),
};

export type MigrationResult = { ok: true; file: Record<string, unknown>; from: number } | { ok: false; reason: 'newer'; version: number } | { ok: false; reason: 'malformed'; message: string };

/** Runs every step from the file's version up to CONFIG_VERSION. */
export function migrate(parsed: unknown, migrations = MIGRATIONS, target = CONFIG_VERSION): MigrationResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'malformed', message: 'it is not a JSON object' };
  let file = parsed as Record<string, unknown>;
  const version = file['version'] ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, reason: 'malformed', message: `its "version" is ${JSON.stringify(version)}, not a format number` };
  }
  if (version > target) return { ok: false, reason: 'newer', version };
  for (let step = version; step < target; step += 1) {
    const migration = migrations[step];
    if (!migration) return { ok: false, reason: 'malformed', message: `this build cannot upgrade format ${step}` };
    file = migration(file);
  }
  return { ok: true, file, from: version };
}
