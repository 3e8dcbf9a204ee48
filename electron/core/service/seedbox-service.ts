import type { Seedbox } from '../../shared/seedbox';
import type { ConfigFile } from '../config/config-file';
import { openSeedboxConnection, type SecretReader } from '../connections/open';
import type { OpenConnection } from '../connections/session';
import { createEventSource, type CoreEvents } from '../events';
import type { SecretStore } from '../secrets/secret-store';
import { appHandlers } from './app/handlers';
import { BoxSet } from './boxes';
import { composeHandlers } from './handlers';
import { FetchHost } from './fetch/handlers';
import { watchCompletions } from './fetch/on-complete';
import type { FetchOnComplete } from '../../shared/fetch';
import type { FetchQueueOptions } from '../fetch/queue';
import { watchNotices } from './notices';
import type { RegistryApi, SeedboxView } from './registry-api';
import { seedboxHandlers } from './seedboxes/handlers';
import { SessionSecrets } from './seedboxes/session-secrets';
import { settingsHandlers } from './settings/handlers';
import { PreferencesCache } from './settings/preferences';
import { speedHandlers } from './speed/handlers';
import { rulesPart } from './rules/handlers';
import { pauseAll, torrentHandlers } from './torrents/handlers';
import { watchTotals } from './totals';
import type { SeedboxServiceApi } from './types';
import { WindowEvents } from './window/events';
import { windowHandlers } from './window/handlers';

export interface SeedboxServiceOptions {
  registry: RegistryApi;
  /** The settings file: the seeding rules are read from it and saved to it (as by the CLI). */
  config: ConfigFile;
  secretStore: SecretStore;
  version: string;
  platform: string;
  /** The OS's preferred languages, best first; empty where the window asks its browser (`npm run web`). */
  systemLanguages?: readonly string[];
  /** How a seedbox becomes a connected client; tests may replace it. */
  open?: (seedbox: Seedbox, readSecret: SecretReader) => Promise<OpenConnection>;
  /** Reconnect backoff, for tests. */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  /** Where a failing event subscriber is reported (console.warn unless given). */
  log?: (message: string) => void;
  /** Fetching to this computer; without it the fetch:* channels say fetching is not set up. */
  fetch?: {
    /** The queue's file, beside the settings file. */
    queueFile: string;
    /** The OS's Downloads folder: where a window's fetch goes unless a folder was chosen. */
    downloadsFolder: string;
    /** The native folder dialog, where there is one. */
    chooseFolder?: () => Promise<string | null>;
    /** The saved fetch-on-completion rules, read afresh on each completion. */
    onCompleteRules: () => Promise<readonly FetchOnComplete[]>;
    /** For tests and benchmarks: the engine's tuning. */
    engine?: FetchQueueOptions['engine'];
  };
}

/**
 * The core service behind every window and the tray. It only wires: the event source, the
 * running boxes, the watchers that derive notices and totals from events, and the handler
 * table composed from one part per domain (see handlers.ts for how a feature plugs in).
 */
export function createSeedboxService(options: SeedboxServiceOptions): SeedboxServiceApi {
  const { registry, secretStore } = options;
  const open = options.open ?? ((seedbox, readSecret) => openSeedboxConnection(seedbox, readSecret));
  const events = createEventSource<CoreEvents>(options.log ? { reportError: options.log } : {});
  const preferences = new PreferencesCache(registry, events);
  const secrets = new SessionSecrets(registry);
  const boxes = new BoxSet({
    events,
    open,
    readSecretOf: (seedboxId, target) => secrets.readerFor(seedboxId, target),
    load: (id) => registry.get(id),
    intervalMs: (seedbox, windowVisible) => {
      const prefs = preferences.current;
      if (!windowVisible) return prefs?.hiddenRefreshIntervalMs ?? 15_000;
      return seedbox.pollIntervalMs ?? prefs?.refreshIntervalMs ?? 1500;
    },
    backoff: options.backoff,
  });
  const window = new WindowEvents(events);
  const rules = rulesPart({ config: options.config, boxes, registry, events, log: options.log ?? ((message) => console.warn(message)) });
  watchNotices(events);
  watchTotals(events, () => boxes.all());
  const log = options.log ?? ((message: string) => console.warn(message));
  const fetch = new FetchHost({
    events,
    boxes,
    queueFile: options.fetch?.queueFile,
    downloadsFolder: options.fetch?.downloadsFolder ?? '',
    chooseFolder: options.fetch?.chooseFolder,
    config: options.config,
    engine: options.fetch?.engine,
    log,
  });
  // The bandwidth limit is a preference: applied when read at start and on every change.
  events.on('preferences:changed', (changed) => (fetch.bandwidthBytesPerSecond = changed.fetch.limitBytesPerSecond));
  if (options.fetch) watchCompletions({ events, host: fetch, rules: options.fetch.onCompleteRules, log });

  const handlers = composeHandlers([
    appHandlers({ version: options.version, platform: options.platform, systemLanguages: options.systemLanguages ?? [], secretStore }),
    settingsHandlers({ preferences }),
    windowHandlers({ boxes, window }),
    seedboxHandlers({ registry, boxes, secrets, events, open }),
    torrentHandlers({ boxes }),
    speedHandlers({ boxes }),
    fetch.handlers(),
    rules.handlers,
  ]);

  return {
    handlers,
    events,
    onEvent: (listener) => window.onEvent(listener),
    pauseAll: (seedboxId) => pauseAll(boxes, seedboxId, true),
    resumeAll: (seedboxId) => pauseAll(boxes, seedboxId, false),
    async start() {
      await boxes.start(async () => {
        fetch.bandwidthBytesPerSecond = (await preferences.reload()).fetch.limitBytesPerSecond;
        return Promise.all((await registry.list()).map((view) => registry.get(view.id)));
      });
      // After the boxes are listed: a resumed job waits for its box to connect.
      await fetch.start();
      // The rules' schedule: a settings file that cannot be read leaves it off and says why; the boxes run all the same.
      await rules.start().catch((thrown: unknown) => options.log?.(`The seeding rules' schedule did not start: ${thrown instanceof Error ? thrown.message : String(thrown)}`));
    },
    async stop() {
      await fetch.stop();
      await rules.stop();
      await boxes.stop();
    },
  };
}

export type { SeedboxView };
