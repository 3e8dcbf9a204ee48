// The IPC contract: every channel between the window and the main process, with a runtime
// schema for what goes each way. Main validates every payload against it, the preload exposes
// exactly these channels, the renderer's api module is typed from it, and the browser harness
// binds the same handler table. Nothing else crosses.
import { z } from 'zod';
import { SUPPORTED_LOCALES } from './i18n/locales';
import {
  AddOptionsSchema,
  AddRequestSourceSchema,
  ClientInfoSchema,
  FILE_PRIORITIES,
  QUEUE_MOVES,
  TORRENT_STATES,
  TorrentDetailsSchema,
  TorrentIdSchema,
  TorrentBytesSchema,
  TorrentSchema,
} from './model';
import { ERROR_CODES } from './errors';
import { keychainUnavailableSchema } from './keychain';
import { changesOf, NewSeedboxSchema, SECRET_PURPOSES, SeedboxChangesSchema, SeedboxSchema, SHA256_HEX } from './seedbox';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from './channels';
import { FetchJobProgressSchema, FetchJobSchema, FetchOnCompleteSchema, ON_EXISTING } from './fetch';
import { MAX_RULE_LENGTH } from './rules/parser';
import { AuditEntrySchema, BoxPlanSchema, SeedboxRefSchema } from './rules/report';
import {
  ProtectionsSchema,
  RuleCapSchema,
  RuleCapsSchema,
  ScheduleMinutesSchema,
  RuleScheduleSchema,
  SeedingRuleSchema,
  SeedingSettingsSchema,
  SpaceTargetFieldsSchema,
  SpaceTargetSchema,
} from './rules/settings';
import { MAX_ADD_REQUEST_BYTES, MAX_ADD_REQUEST_SOURCES, MAX_LISTED_TORRENT_FILES, MAX_LISTED_TRACKERS } from './limits';

const TorrentId = TorrentIdSchema;
const SeedboxId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const Ids = z.array(TorrentId).min(1).max(100_000);
const Rate = z.number().int().min(0).max(2 ** 40);

export const ErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()),
});
export type SerializedError = z.infer<typeof ErrorSchema>;

const SecretFlagsSchema = z.object(Object.fromEntries(SECRET_PURPOSES.map((purpose) => [purpose, z.boolean()])) as Record<(typeof SECRET_PURPOSES)[number], z.ZodBoolean>);

/** A seedbox as the window sees it: its settings plus which secrets are set (never their values). */
export const SeedboxViewSchema = SeedboxSchema.extend({ secrets: SecretFlagsSchema });

export const StatsSchema = z.object({
  downRate: z.number(),
  upRate: z.number(),
  freeSpaceBytes: z.number().nullable(),
  alternativeSpeedEnabled: z.boolean().nullable(),
  count: z.number(),
  countsByState: z.record(z.enum(TORRENT_STATES), z.number()),
});

export const SeedboxStatusSchema = z.object({
  seedboxId: SeedboxId,
  state: z.enum(['disconnected', 'connecting', 'connected', 'reconnecting', 'failed']),
  /** Unix milliseconds of the next attempt while reconnecting. */
  nextAttemptAt: z.number().nullable(),
  /** Unix milliseconds since the box has been unreachable (lost, or never reached); null while connected, connecting or stopped. */
  offlineSince: z.number().nullable(),
  error: ErrorSchema.nullable(),
  info: ClientInfoSchema.nullable(),
});
export type SeedboxStatus = z.infer<typeof SeedboxStatusSchema>;

const TestStepSchema = z.object({
  /** 'sftp': with SSH settings, the torrents' save paths (mapped) as SFTP sees them. */
  step: z.enum(['address', 'proxy', 'ssh', 'connect', 'tls', 'login', 'list', 'sftp']),
  ok: z.boolean(),
  message: z.string(),
});
export const TestReportSchema = z.object({
  ok: z.boolean(),
  steps: z.array(TestStepSchema),
  info: ClientInfoSchema.nullable(),
  error: ErrorSchema.nullable(),
  torrentCount: z.number().nullable(),
});

// Kept here for the callers that check files to skip against the contract.
export { skipFilesSchema } from './model';

/** 'torrents:add' takes the files to skip with each .torrent source, not in the options. */
const AddRequestOptions = AddOptionsSchema.omit({ skipFiles: true });

export const PreferencesSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** While the window is visible. */
  refreshIntervalMs: z.number().int().min(500).max(60_000).default(1500),
  /** While hidden or minimized: slower, fewer fields, still catches completions. */
  hiddenRefreshIntervalMs: z.number().int().min(2_000).max(600_000).default(15_000),
  notifications: z
    .object({
      downloadFinished: z.boolean().default(true),
      torrentError: z.boolean().default(true),
      seedboxLost: z.boolean().default(true),
      seedboxBack: z.boolean().default(true),
      /** A seeding-rules run acted (or an action of it failed); absent (settings saved before it) means on. */
      rulesRun: z.boolean().optional(),
      /** A fetch home finished or failed; absent (settings saved before it) means on. */
      fetch: z.boolean().optional(),
    })
    .default({ downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true }),
  closeToTray: z.boolean().default(true),
  startAtLogin: z.boolean().default(false),
  units: z.enum(['binary', 'decimal']).default('binary'),
  /** The window's, tray's and notifications' language: the OS's ('system') or one chosen. */
  language: z.enum(['system', ...SUPPORTED_LOCALES]).default('system'),
  /** The fetch queue's shared bandwidth limit in bytes per second; 0 is none. Applied live. */
  fetch: z
    .object({ limitBytesPerSecond: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) })
    .default({ limitBytesPerSecond: 0 }),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

/** What the add dialog shows of a .torrent: the first files, and how many there are. */
const MetainfoSchema = z.object({
  infoHash: TorrentId,
  name: z.string(),
  totalBytes: z.number(),
  fileCount: z.number().int().min(1),
  files: z.array(z.object({ path: z.string(), sizeBytes: z.number() })).max(MAX_LISTED_TORRENT_FILES),
  trackers: z.array(z.array(z.string())).max(MAX_LISTED_TRACKERS),
  isPrivate: z.boolean(),
});

/** The sources of one add: a thousand at most, and their .torrent bytes together bounded too. */
const AddSources = z
  .array(AddRequestSourceSchema)
  .min(1)
  .max(MAX_ADD_REQUEST_SOURCES)
  .refine((sources) => sources.reduce((sum, source) => sum + (source.kind === 'file' ? source.bytes.byteLength : 0), 0) <= MAX_ADD_REQUEST_BYTES, {
    message: `the .torrent files together are larger than ${MAX_ADD_REQUEST_BYTES / 1048576} MiB`,
  });

/** Decisions per box a preview or run sends the window; the rest are counted (moreDecisions). */
export const MAX_RULE_DECISIONS_SHOWN = 1000;
/** Audit log entries one rules:log answer holds at most. */
export const MAX_RULE_LOG_ENTRIES = 5000;

const RuleId = SeedingRuleSchema.shape.id;

/** The rule id a preview gives a draft not saved yet: '@' is outside rule ids, so no saved rule has it. */
export const DRAFT_RULE_ID = '@draft';

/**
 * A rule as the window's editor sends it: a new one (no id) or an edit of a saved one. Mode and
 * version are not the window's to set: the core saves a new or changed rule in preview mode.
 */
export const RuleDraftSchema = SeedingRuleSchema.pick({ name: true, scope: true, action: true, options: true })
  .extend({ id: RuleId.optional(), enabled: z.boolean().optional(), condition: z.string().max(MAX_RULE_LENGTH) })
  .strict();

/** One box's decisions as sent to the window: the most telling first, at most MAX_RULE_DECISIONS_SHOWN. */
export const RulesBoxPlanSchema = BoxPlanSchema.extend({
  decisions: BoxPlanSchema.shape.decisions.max(MAX_RULE_DECISIONS_SHOWN),
  /** Decisions left out of `decisions`. */
  moreDecisions: z.number().int().min(0),
});

const RulesBoxFailureSchema = z.object({ seedbox: SeedboxRefSchema, error: ErrorSchema });

/** What a preview or a run found: each box's plan, and the boxes that could not be read. */
export const RulesOutcomeSchema = z.object({
  plans: z.array(RulesBoxPlanSchema),
  failures: z.array(RulesBoxFailureSchema),
});

/** What a finished run did, per box: the notification and the Rules view's "last run" line. */
export const RulesRunSummarySchema = z.object({
  trigger: z.enum(['schedule', 'manual']),
  dryRun: z.boolean(),
  /** Unix milliseconds. */
  startedAt: z.number(),
  finishedAt: z.number(),
  boxes: z.array(
    z.object({
      seedbox: SeedboxRefSchema,
      /** Actions done, of which removals (with or without data), stops and label changes. */
      done: z.number().int().min(0),
      removed: z.number().int().min(0),
      stopped: z.number().int().min(0),
      labelled: z.number().int().min(0),
      failed: z.number().int().min(0),
      bytesFreed: z.number().min(0),
      bytesFreedUpperBound: z.boolean(),
    }),
  ),
  failures: z.array(RulesBoxFailureSchema),
});
export type RulesRunSummary = z.infer<typeof RulesRunSummarySchema>;

/** The rules as the window shows them: the settings, the schedule's state, the last run. */
export const RulesStateSchema = z.object({
  settings: SeedingSettingsSchema,
  /** A run is under way (scheduled or asked for). */
  running: z.boolean(),
  /** Unix milliseconds of the next scheduled run; null when the schedule is off. */
  nextRunAt: z.number().nullable(),
  lastRun: RulesRunSummarySchema.nullable(),
});
export type RulesState = z.infer<typeof RulesStateSchema>;

const Empty = z.object({}).strict();
const OnBox = { seedboxId: SeedboxId };
/** Fetch jobs by id (the queue's UUIDs). */
const FetchJobIds = z.object({ ids: z.array(z.string().regex(/^[0-9a-f-]{1,64}$/)).min(1).max(10_000) }).strict();

/** Every invoke channel: arguments (one object) and result. */
export const INVOKE = {
  'app:info': {
    args: Empty,
    result: z.object({
      version: z.string(),
      platform: z.string(),
      /** The OS's preferred languages, best first (BCP 47 tags), for the 'system' language. */
      systemLanguages: z.array(z.string().max(100)).max(50),
      /** Why there is no keychain (memory only): a code the window says in its language. */
      secretStore: z.object({ kind: z.enum(['keychain', 'memory']), unavailable: keychainUnavailableSchema.nullable() }),
    }),
  },
  'preferences:get': { args: Empty, result: PreferencesSchema },
  'preferences:update': { args: changesOf(PreferencesSchema).strict(), result: PreferencesSchema },
  'window:visibility': { args: z.object({ visible: z.boolean() }).strict(), result: z.null() },

  'seedboxes:list': { args: Empty, result: z.array(SeedboxViewSchema) },
  'seedboxes:add': { args: z.object({ seedbox: NewSeedboxSchema }).strict(), result: SeedboxViewSchema },
  'seedboxes:update': { args: z.object({ id: SeedboxId, changes: SeedboxChangesSchema.strict() }).strict(), result: SeedboxViewSchema },
  'seedboxes:remove': { args: z.object({ id: SeedboxId }).strict(), result: z.null() },
  'seedboxes:reorder': { args: z.object({ ids: z.array(SeedboxId).max(1000) }).strict(), result: z.null() },
  /** Tries a configuration (saved or not) and reports each step; secrets given here are not stored. */
  'seedboxes:test': {
    args: z
      .object({
        seedbox: NewSeedboxSchema,
        id: SeedboxId.optional(),
        secrets: z.object(Object.fromEntries(SECRET_PURPOSES.map((purpose) => [purpose, z.string().max(4096).optional()]))).partial().optional(),
      })
      .strict(),
    result: TestReportSchema,
  },
  'seedboxes:setSecret': { args: z.object({ id: SeedboxId, purpose: z.enum(SECRET_PURPOSES), secret: z.string().min(1).max(4096) }).strict(), result: z.null() },
  'seedboxes:clearSecret': { args: z.object({ id: SeedboxId, purpose: z.enum(SECRET_PURPOSES) }).strict(), result: z.null() },
  /** For this run only, when there is no keychain: kept in memory, never written. */
  'seedboxes:sessionPassword': { args: z.object({ id: SeedboxId, purpose: z.enum(SECRET_PURPOSES), secret: z.string().min(1).max(4096) }).strict(), result: z.null() },
  'seedboxes:pinCertificate': { args: z.object({ id: SeedboxId, sha256: z.string().regex(SHA256_HEX) }).strict(), result: SeedboxViewSchema },
  'seedboxes:pinHostKey': { args: z.object({ id: SeedboxId, sha256: z.string().regex(SHA256_HEX) }).strict(), result: SeedboxViewSchema },
  'seedboxes:retry': { args: z.object(OnBox).strict(), result: z.null() },
  'seedboxes:statuses': { args: Empty, result: z.array(SeedboxStatusSchema) },

  /** Asks for a full snapshot of every box as the next torrents:delta events. */
  'torrents:subscribe': { args: Empty, result: z.null() },
  'torrents:details': { args: z.object({ ...OnBox, id: TorrentId }).strict(), result: TorrentDetailsSchema },
  'torrents:add': {
    args: z.object({ ...OnBox, sources: AddSources, options: AddRequestOptions }).strict(),
    result: z.array(z.union([z.object({ ok: z.literal(true), id: TorrentId }), z.object({ ok: z.literal(false), error: ErrorSchema })])),
  },
  'torrents:start': { args: z.object({ ...OnBox, ids: Ids }).strict(), result: z.null() },
  'torrents:stop': { args: z.object({ ...OnBox, ids: Ids }).strict(), result: z.null() },
  'torrents:recheck': { args: z.object({ ...OnBox, ids: Ids }).strict(), result: z.null() },
  'torrents:reannounce': { args: z.object({ ...OnBox, ids: Ids }).strict(), result: z.null() },
  'torrents:remove': { args: z.object({ ...OnBox, ids: Ids, deleteData: z.boolean() }).strict(), result: z.null() },
  'torrents:move': { args: z.object({ ...OnBox, ids: Ids, targetDirectory: z.string().min(1).max(4096) }).strict(), result: z.null() },
  'torrents:setLabels': { args: z.object({ ...OnBox, ids: Ids, labels: z.array(z.string().max(255)).max(64) }).strict(), result: z.null() },
  'torrents:setFilePriority': {
    args: z.object({ ...OnBox, id: TorrentId, fileIndexes: z.array(z.number().int().min(0)).min(1).max(1_000_000), priority: z.enum(FILE_PRIORITIES) }).strict(),
    result: z.null(),
  },
  'torrents:setSpeedLimits': {
    args: z.object({ ...OnBox, ids: Ids, downBytesPerSecond: Rate, upBytesPerSecond: Rate }).strict(),
    result: z.null(),
  },
  'torrents:queue': { args: z.object({ ...OnBox, ids: Ids, move: z.enum(QUEUE_MOVES) }).strict(), result: z.null() },
  /** Reads a .torrent locally for the add dialog: name, size, files, and the id it would get. */
  'torrents:parseFile': { args: z.object({ bytes: TorrentBytesSchema, fileName: z.string().max(1024).optional() }).strict(), result: MetainfoSchema },

  /** The seeding rules, protections, targets, caps, pause and schedule, and the runs' state. */
  'rules:get': { args: Empty, result: RulesStateSchema },
  /** Saves a new rule (no id) or an edit; a new rule, or a change to what one does, is saved in preview mode. */
  'rules:saveRule': { args: z.object({ rule: RuleDraftSchema }).strict(), result: SeedingRuleSchema },
  'rules:removeRule': { args: z.object({ id: RuleId }).strict(), result: z.null() },
  'rules:setEnabled': { args: z.object({ id: RuleId, enabled: z.boolean() }).strict(), result: SeedingRuleSchema },
  /** Back to preview mode. */
  'rules:hold': { args: z.object({ id: RuleId }).strict(), result: SeedingRuleSchema },
  /** Live mode for the version the window previewed; refused ('refused') when the rule changed since. */
  'rules:goLive': { args: z.object({ id: RuleId, version: z.number().int().min(1) }).strict(), result: SeedingRuleSchema },
  'rules:setProtections': { args: z.object({ protections: ProtectionsSchema }).strict(), result: ProtectionsSchema },
  /** Adds or replaces a box's space target, in preview mode. */
  'rules:setSpaceTarget': { args: z.object({ target: SpaceTargetFieldsSchema.omit({ mode: true }).strict() }).strict(), result: SpaceTargetSchema },
  'rules:removeSpaceTarget': { args: z.object({ seedboxId: SeedboxId }).strict(), result: z.null() },
  /** Live mode for the target as the window showed it; refused when it changed since. */
  'rules:spaceTargetLive': { args: z.object({ target: SpaceTargetSchema }).strict(), result: SpaceTargetSchema },
  /** Changes the caps given; the others keep their values. */
  'rules:setCaps': {
    args: z.object({ perRun: RuleCapSchema.partial().strict().optional(), perSeedbox: RuleCapSchema.partial().strict().optional() }).strict(),
    result: RuleCapsSchema,
  },
  /** The global pause: while set, nothing acts (scheduled or not). */
  'rules:setPaused': { args: z.object({ paused: z.boolean() }).strict(), result: z.null() },
  /** Every this many minutes; 0 turns the schedule off. */
  'rules:setSchedule': { args: z.object({ everyMinutes: ScheduleMinutesSchema }).strict(), result: RuleScheduleSchema },
  /**
   * What the rules (with `draft` in place of its saved rule, or after the others when new) would
   * do now, on the torrents as last refreshed; nothing acts, nothing is logged. A box not
   * connected yet is a failure.
   */
  'rules:preview': {
    args: z
      .object({
        draft: RuleDraftSchema.partial({ name: true }).optional(),
        seedboxIds: z.array(SeedboxId).max(1000).optional(),
        decisionsPerBox: z.number().int().min(1).max(MAX_RULE_DECISIONS_SHOWN).default(200),
      })
      .strict(),
    result: RulesOutcomeSchema,
  },
  /** Runs now: each box re-read, live rules act (dryRun: nothing acts, nothing is logged). One run at a time. */
  'rules:run': {
    args: z.object({ dryRun: z.boolean(), decisionsPerBox: z.number().int().min(1).max(MAX_RULE_DECISIONS_SHOWN).default(200) }).strict(),
    result: RulesOutcomeSchema.extend({ summary: RulesRunSummarySchema }),
  },
  /** The audit log, newest first; `since` in unix milliseconds. */
  'rules:log': {
    args: z.object({ since: z.number().min(0).optional(), limit: z.number().int().min(1).max(MAX_RULE_LOG_ENTRIES).default(500) }).strict(),
    result: z.array(AuditEntrySchema).max(MAX_RULE_LOG_ENTRIES),
  },

  'seedbox:setGlobalLimits': { args: z.object({ ...OnBox, downBytesPerSecond: Rate, upBytesPerSecond: Rate }).strict(), result: z.null() },
  'seedbox:setAlternativeSpeed': { args: z.object({ ...OnBox, enabled: z.boolean() }).strict(), result: z.null() },

  /**
   * Queues a torrent (or chosen files) to fetch to this computer over SFTP. destination: null is
   * the Downloads folder; a path must be one fetch:chooseFolder returned in this run.
   */
  'fetch:enqueue': {
    args: z
      .object({
        ...OnBox,
        torrentId: TorrentId,
        fileIndexes: z.array(z.number().int().min(0)).min(1).max(200_000).nullable(),
        destination: z.string().min(1).max(4096).nullable(),
        onExisting: z.enum(ON_EXISTING),
      })
      .strict(),
    result: FetchJobSchema,
  },
  'fetch:jobs': { args: Empty, result: z.array(FetchJobSchema) },
  'fetch:pause': { args: FetchJobIds, result: z.null() },
  'fetch:resume': { args: FetchJobIds, result: z.null() },
  'fetch:cancel': { args: FetchJobIds, result: z.null() },
  /** Forgets finished jobs (done, failed, cancelled); files on disk stay. */
  'fetch:remove': { args: FetchJobIds, result: z.null() },
  /** The native folder dialog (main side); null when the user cancelled it. */
  'fetch:chooseFolder': { args: Empty, result: z.string().nullable() },
  /** Fetch on completion, one rule per box (the settings field `seedbox fetch auto` writes). */
  'fetch:getAutoRules': { args: Empty, result: z.array(FetchOnCompleteSchema) },
  /**
   * Sets (or with rule null removes) a box's fetch-on-completion rule; answers all rules. The
   * destination must be one fetch:chooseFolder returned in this run, or the box's saved one.
   */
  'fetch:setAutoRule': {
    args: z
      .object({
        ...OnBox,
        rule: z.object({ when: z.string().min(1).max(MAX_RULE_LENGTH), destination: z.string().min(1).max(4096), addLabel: z.string().min(1).max(200).nullable() }).strict().nullable(),
      })
      .strict(),
    result: z.array(FetchOnCompleteSchema),
  },
} as const;

const ChangedTorrentSchema = TorrentSchema.partial().extend({ id: TorrentId });

/** Every event channel main pushes to the window, with its payload. */
export const EVENTS = {
  /** The first delta after torrents:subscribe (or a reconnect) is a full snapshot (full: true). */
  'torrents:delta': z.object({
    seedboxId: SeedboxId,
    full: z.boolean(),
    added: z.array(TorrentSchema),
    changed: z.array(ChangedTorrentSchema),
    removed: z.array(TorrentId),
    stats: StatsSchema,
  }),
  'seedbox:status': SeedboxStatusSchema,
  'seedboxes:changed': z.array(SeedboxViewSchema),
  /** The preferences changed, from the window or elsewhere (the tray's checkboxes). */
  'preferences:changed': PreferencesSchema,
  /** magnet: links and .torrent files the OS handed to the app: the window opens its add dialog. */
  'app:addRequest': z.object({ sources: AddSources }),
  /** A notification was clicked: show this torrent. */
  'app:showTorrent': z.object({ ...OnBox, id: TorrentId }),
  /** The OS's accent colour ("#rrggbb"), or null where it has none: the window's accent follows it. */
  'app:appearance': z.object({ accentColor: z.string().regex(/^#[0-9a-f]{6}$/).nullable() }).strict(),
  /** Every fetch job, after any change of state. */
  'fetch:jobs': z.object({ jobs: z.array(FetchJobSchema) }),
  /** A running fetch's bytes, rate and ETA, at most four times a second per job. */
  'fetch:progress': FetchJobProgressSchema,
  /** The rules' state after any change made through the app and after each run. */
  'rules:changed': RulesStateSchema,
} as const;

// The plain name lists in channels.ts must be exactly these channels.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeNamesMatch: SameKeys<InvokeChannel, keyof typeof INVOKE> = true;
const eventNamesMatch: SameKeys<EventChannel, keyof typeof EVENTS> = true;
void invokeNamesMatch;
void eventNamesMatch;
export { INVOKE_CHANNELS, EVENT_CHANNELS, type InvokeChannel, type EventChannel };
export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof INVOKE)[C]['args']>;
export type InvokeResult<C extends InvokeChannel> = z.output<(typeof INVOKE)[C]['result']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof EVENTS)[E]>;
export type TorrentDelta = EventPayload<'torrents:delta'>;


/** What the core service implements and the shell (or the browser harness) binds. */
export type InvokeHandlers = { [C in InvokeChannel]: (args: z.output<(typeof INVOKE)[C]['args']>) => Promise<InvokeResult<C>> };

/**
 * What window.seedbox is: one function per invoke channel and one subscriber per event
 * channel, built from the lists above; no generic "invoke any channel" entry point.
 */
export interface SeedboxBridge {
  invoke: { [C in InvokeChannel]: (args: InvokeArgs<C>) => Promise<InvokeResult<C>> };
  on: { [E in EventChannel]: (listener: (payload: EventPayload<E>) => void) => () => void };
}

/** The envelope every invoke result crosses IPC in, so typed errors survive the trip. */
export type InvokeEnvelope<T> = { ok: true; value: T } | { ok: false; error: SerializedError };
