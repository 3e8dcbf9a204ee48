import type {
  EventChannel,
  EventPayload,
  InvokeHandlers,
  InvokeResult,
  Preferences,
  SeedboxStatus,
  SerializedError,
} from '../../shared/contract';
import { SeedboxError, toSeedboxError } from '../../shared/errors';
import type { Torrent } from '../../shared/model';
import { SECRET_PURPOSES, type NewSeedbox, type Seedbox, type SecretPurpose } from '../../shared/seedbox';
import type { TorrentClient } from '../clients/types';
import { openSeedboxConnection, type SecretReader } from '../connections/open';
import { SeedboxSession, type OpenConnection } from '../connections/session';
import { BoxPoller } from '../polling/poller';
import { secretEndpoint } from '../secrets/secret-endpoint';
import type { SecretStore } from '../secrets/secret-store';
import { readTorrentOffThread } from '../torrent/metainfo-off-thread';
import { redactUrl } from '../../shared/redact-url';
import type { RegistryApi, SeedboxView } from './registry-api';
import type { Notice, SeedboxServiceApi, Totals } from './types';

export interface SeedboxServiceOptions {
  registry: RegistryApi;
  secretStore: SecretStore;
  version: string;
  platform: string;
  /** How a seedbox becomes a connected client; tests may replace it. */
  open?: (seedbox: Seedbox, readSecret: SecretReader) => Promise<OpenConnection>;
  /** Reconnect backoff, for tests. */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
}

interface Box {
  seedbox: Seedbox;
  session: SeedboxSession;
  poller: BoxPoller;
  lastState: SeedboxStatus['state'];
}

type Listener<T> = (value: T) => void;

/**
 * The core service behind every window and the tray: owns one session and one poller per
 * seedbox, answers the contract's invoke channels (one handler table, bound by the Electron
 * shell and by the browser harness), and emits events, notices and totals.
 */
export function createSeedboxService(options: SeedboxServiceOptions): SeedboxServiceApi {
  const { registry, secretStore } = options;
  const open = options.open ?? ((seedbox, readSecret) => openSeedboxConnection(seedbox, readSecret));
  const boxes = new Map<string, Box>();
  /** Passwords typed for this run when there is no keychain: never written anywhere. */
  const sessionSecrets = new Map<string, string>();
  const eventListeners = new Set<<E extends EventChannel>(channel: E, payload: EventPayload<E>) => void>();
  const noticeListeners = new Set<Listener<Notice>>();
  const totalsListeners = new Set<Listener<Totals>>();
  let preferences: Preferences | undefined;
  let windowVisible = true;
  let started = false;

  function emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    for (const listener of eventListeners) listener(channel, payload);
  }
  function notice(value: Notice): void {
    for (const listener of noticeListeners) listener(value);
  }

  /**
   * The secrets of saved box `seedboxId` for a connection to `target` (its own settings, or the
   * editor's when testing): what the caller supplies, then what was typed for this run, then the
   * keychain; saved ones only where `target` is the endpoint they were saved for.
   */
  const readSecretOf =
    (seedboxId: string, target: Seedbox, supplied: Partial<Record<SecretPurpose, string>> = {}): SecretReader =>
    async (purpose) => {
      const read = await registry.secretReader(seedboxId, target, { supplied, remembered: (which) => sessionSecrets.get(`${seedboxId}:${which}`) });
      return read(purpose);
    };

  function intervalFor(seedbox: Seedbox): number {
    const prefs = preferences;
    if (!windowVisible) return prefs?.hiddenRefreshIntervalMs ?? 15_000;
    return seedbox.pollIntervalMs ?? prefs?.refreshIntervalMs ?? 1500;
  }

  function addBox(seedbox: Seedbox): Box {
    const session = new SeedboxSession({
      seedboxId: seedbox.id,
      open: () => open(box.seedbox, readSecretOf(seedbox.id, box.seedbox)),
      ...(options.backoff ?? {}),
    });
    const poller = new BoxPoller({
      seedboxId: seedbox.id,
      session,
      intervalMs: () => intervalFor(box.seedbox),
      light: () => !windowVisible,
      onDelta: (delta) => {
        emit('torrents:delta', delta);
        emitTotals();
      },
      onTransitions: (transitions) => {
        for (const { before, after } of transitions) noticeTransition(box, before, after);
      },
    });
    const box: Box = { seedbox, session, poller, lastState: 'disconnected' };
    session.onStatus((status) => {
      emit('seedbox:status', status);
      if (status.state === 'connected' && (box.lastState === 'reconnecting' || box.lastState === 'failed')) {
        notice({ kind: 'seedbox-back', seedboxId: seedbox.id, seedboxName: box.seedbox.name });
      }
      if (box.lastState === 'connected' && (status.state === 'reconnecting' || status.state === 'failed')) {
        notice({ kind: 'seedbox-lost', seedboxId: seedbox.id, seedboxName: box.seedbox.name, message: status.error?.message ?? '' });
      }
      if (status.state === 'connected') poller.refreshSoon();
      box.lastState = status.state;
      emitTotals();
    });
    boxes.set(seedbox.id, box);
    return box;
  }

  function noticeTransition(box: Box, before: Torrent, after: Torrent): void {
    const base = { seedboxId: box.seedbox.id, seedboxName: box.seedbox.name, torrentId: after.id, torrentName: after.name };
    if (before.progress < 1 && after.progress >= 1 && (before.state === 'downloading' || after.state === 'seeding')) {
      notice({ kind: 'download-finished', ...base });
    }
    if (after.state === 'error' && before.state !== 'error') notice({ kind: 'torrent-error', ...base, message: after.message });
  }

  /**
   * Starts polling and the first connection attempt, without waiting for it: a box that accepts
   * and never answers would hold the caller (start-up, the editor's Save) for the whole timeout.
   * Its state arrives as seedbox:status events; the session handles its own failures.
   */
  function startBox(box: Box): void {
    box.poller.start();
    void box.session.start();
  }

  async function stopBox(box: Box): Promise<void> {
    await box.poller.stop();
    await box.session.stop();
  }

  async function restartBox(id: string): Promise<void> {
    const old = boxes.get(id);
    if (old) {
      await stopBox(old);
      boxes.delete(id);
    }
    if (!started) return;
    const seedbox = await registry.get(id);
    startBox(addBox(seedbox));
  }

  function boxOf(seedboxId: string): Box {
    const box = boxes.get(seedboxId);
    if (!box) throw new SeedboxError('not-found', `There is no seedbox with id ${seedboxId}.`, { seedboxId });
    return box;
  }

  /** Runs an action on a box's client, then refreshes that box at once. */
  async function act(seedboxId: string, action: (client: TorrentClient) => Promise<unknown>): Promise<null> {
    const box = boxOf(seedboxId);
    try {
      await box.session.run(action);
    } finally {
      box.poller.refreshSoon();
    }
    return null;
  }

  function emitTotals(): void {
    if (totalsListeners.size === 0) return;
    const totals: Totals = { downRate: 0, upRate: 0, boxes: [] };
    for (const box of boxes.values()) {
      const snapshot = box.poller.stats();
      const connected = box.session.connected;
      totals.downRate += connected ? snapshot.downRate : 0;
      totals.upRate += connected ? snapshot.upRate : 0;
      totals.boxes.push({
        seedboxId: box.seedbox.id,
        name: box.seedbox.name,
        state: box.session.status.state,
        downRate: connected ? snapshot.downRate : 0,
        upRate: connected ? snapshot.upRate : 0,
        alternativeSpeed: box.session.status.info?.capabilities.alternativeSpeed ? snapshot.alternativeSpeedEnabled : null,
        canPause: connected,
      });
    }
    for (const listener of totalsListeners) listener(totals);
  }

  async function changed(): Promise<void> {
    emit('seedboxes:changed', await registry.list());
  }

  async function testSeedbox(seedbox: Seedbox, secrets: Partial<Record<SecretPurpose, string>>, id?: string): Promise<InvokeResult<'seedboxes:test'>> {
    const steps: { step: 'address' | 'proxy' | 'ssh' | 'connect' | 'tls' | 'login' | 'list'; ok: boolean; message: string }[] = [];
    const readSecret: SecretReader = id ? readSecretOf(id, seedbox, secrets) : async (purpose) => secrets[purpose];
    let connection: OpenConnection | undefined;
    try {
      connection = await open(seedbox, readSecret);
      steps.push({ step: 'address', ok: true, message: `${seedbox.kind} at ${redactUrl(seedbox.url)}` });
      const info = await connection.client.connect();
      steps.push({ step: 'login', ok: true, message: `Connected to ${info.kind} ${info.version} (${info.protocol}).` });
      const torrents = await connection.client.list();
      steps.push({ step: 'list', ok: true, message: `${torrents.length} torrent(s).` });
      return { ok: true, steps, info, error: null, torrentCount: torrents.length };
    } catch (thrown) {
      const error = toSeedboxError(thrown);
      steps.push({ step: stepFor(error), ok: false, message: error.message });
      return { ok: false, steps, info: null, error: error.toJSON() as SerializedError, torrentCount: null };
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }

  const handlers: InvokeHandlers = {
    'app:info': async () => ({
      version: options.version,
      platform: options.platform,
      secretStore: { kind: secretStore.kind, unavailableReason: secretStore.unavailableReason ?? null },
    }),
    'preferences:get': async () => (preferences ??= await registry.preferences()),
    'preferences:update': async (changes) => {
      preferences = await registry.updatePreferences(changes);
      emit('preferences:changed', preferences);
      return preferences;
    },
    'window:visibility': async ({ visible }) => {
      const wasVisible = windowVisible;
      windowVisible = visible;
      // Back in view: show fresh figures now rather than after a slow interval.
      if (visible && !wasVisible) for (const box of boxes.values()) box.poller.refreshSoon();
      return null;
    },

    'seedboxes:list': async () => registry.list(),
    'seedboxes:add': async ({ seedbox }) => {
      const view = await registry.add(seedbox as NewSeedbox);
      if (started) startBox(addBox(await registry.get(view.id)));
      await changed();
      return view;
    },
    'seedboxes:update': async ({ id, changes }) => {
      const before = await registry.get(id);
      const view = await registry.update(id, changes as Partial<NewSeedbox>);
      // Like the keychain's, a secret typed for this run stays with the endpoint it was typed for.
      for (const purpose of SECRET_PURPOSES) {
        if (secretEndpoint(purpose, before) !== secretEndpoint(purpose, view)) sessionSecrets.delete(`${id}:${purpose}`);
      }
      await restartBox(id);
      await changed();
      return view;
    },
    'seedboxes:remove': async ({ id }) => {
      const box = boxes.get(id);
      if (box) {
        await stopBox(box);
        boxes.delete(id);
      }
      await registry.remove(id);
      for (const key of sessionSecrets.keys()) if (key.startsWith(`${id}:`)) sessionSecrets.delete(key);
      await changed();
      return null;
    },
    'seedboxes:reorder': async ({ ids }) => {
      await registry.reorder(ids);
      await changed();
      return null;
    },
    'seedboxes:test': async ({ seedbox, id, secrets }) =>
      testSeedbox({ ...(seedbox as Seedbox), id: id ?? 'unsaved' }, (secrets ?? {}) as Partial<Record<SecretPurpose, string>>, id),
    'seedboxes:setSecret': async ({ id, purpose, secret }) => {
      await registry.setSecret(id, purpose, secret);
      await restartBox(id);
      await changed();
      return null;
    },
    'seedboxes:clearSecret': async ({ id, purpose }) => {
      await registry.clearSecret(id, purpose);
      sessionSecrets.delete(`${id}:${purpose}`);
      await changed();
      return null;
    },
    'seedboxes:sessionPassword': async ({ id, purpose, secret }) => {
      await registry.get(id);
      sessionSecrets.set(`${id}:${purpose}`, secret);
      await restartBox(id);
      return null;
    },
    'seedboxes:pinCertificate': async ({ id, sha256 }) => {
      const view = await registry.pinCertificate(id, sha256);
      await restartBox(id);
      await changed();
      return view;
    },
    'seedboxes:pinHostKey': async ({ id, sha256 }) => {
      const view = await registry.pinHostKey(id, sha256);
      await restartBox(id);
      await changed();
      return view;
    },
    'seedboxes:retry': async ({ seedboxId }) => {
      await boxOf(seedboxId).session.start();
      return null;
    },
    'seedboxes:statuses': async () => [...boxes.values()].map((box) => box.session.status),

    'torrents:subscribe': async () => {
      for (const box of boxes.values()) {
        emit('seedbox:status', box.session.status);
        for (const delta of box.poller.snapshots()) emit('torrents:delta', delta);
      }
      return null;
    },
    'torrents:details': async ({ seedboxId, id }) => boxOf(seedboxId).session.run((client) => client.details(id)),
    'torrents:add': async ({ seedboxId, sources, options: addOptions }) => {
      const box = boxOf(seedboxId);
      const results: ({ ok: true; id: string } | { ok: false; error: SerializedError })[] = [];
      // One at a time: a bad file fails alone and the rest still go in.
      for (const source of sources) {
        try {
          // Checked off the main thread first: the client parses it again (for its id), but only
          // a file already known to be a torrent within the limits.
          if (source.kind === 'file') await readTorrentOffThread(source.bytes, source.fileName);
          // Each .torrent of the batch has its own files to skip.
          const options = source.kind === 'file' && source.skipFiles ? { ...addOptions, skipFiles: source.skipFiles } : addOptions;
          const id = await box.session.run((client) => client.add(source, options));
          results.push({ ok: true, id });
        } catch (thrown) {
          results.push({ ok: false, error: toSeedboxError(thrown).toJSON() as SerializedError });
        }
      }
      box.poller.refreshSoon();
      return results;
    },
    'torrents:start': async ({ seedboxId, ids }) => act(seedboxId, (client) => client.start(ids)),
    'torrents:stop': async ({ seedboxId, ids }) => act(seedboxId, (client) => client.stop(ids)),
    'torrents:recheck': async ({ seedboxId, ids }) => act(seedboxId, (client) => client.recheck(ids)),
    'torrents:reannounce': async ({ seedboxId, ids }) => act(seedboxId, (client) => client.reannounce(ids)),
    'torrents:remove': async ({ seedboxId, ids, deleteData }) => act(seedboxId, (client) => client.remove(ids, { deleteData })),
    'torrents:move': async ({ seedboxId, ids, targetDirectory }) => act(seedboxId, (client) => client.move(ids, targetDirectory)),
    'torrents:setLabels': async ({ seedboxId, ids, labels }) => act(seedboxId, (client) => client.setLabels(ids, labels)),
    'torrents:setFilePriority': async ({ seedboxId, id, fileIndexes, priority }) =>
      act(seedboxId, (client) => client.setFilePriority(id, fileIndexes, priority)),
    'torrents:setSpeedLimits': async ({ seedboxId, ids, downBytesPerSecond, upBytesPerSecond }) =>
      act(seedboxId, (client) => client.setTorrentSpeedLimits(ids, { downBytesPerSecond, upBytesPerSecond })),
    'torrents:queue': async ({ seedboxId, ids, move }) => act(seedboxId, (client) => client.moveInQueue(ids, move)),
    'torrents:parseFile': async ({ bytes, fileName }) => readTorrentOffThread(bytes, fileName),
    'seedbox:setGlobalLimits': async ({ seedboxId, downBytesPerSecond, upBytesPerSecond }) =>
      act(seedboxId, (client) => client.setGlobalSpeedLimits({ downBytesPerSecond, upBytesPerSecond })),
    'seedbox:setAlternativeSpeed': async ({ seedboxId, enabled }) => act(seedboxId, (client) => client.setAlternativeSpeed(enabled)),
  };

  return {
    handlers,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    onTotals(listener) {
      totalsListeners.add(listener);
      return () => totalsListeners.delete(listener);
    },
    async pauseAll(seedboxId) {
      const box = boxOf(seedboxId);
      const ids = [...box.poller.torrentList].filter((torrent) => torrent.state !== 'paused').map((torrent) => torrent.id);
      if (ids.length > 0) await act(seedboxId, (client) => client.stop(ids));
    },
    async resumeAll(seedboxId) {
      const box = boxOf(seedboxId);
      const ids = [...box.poller.torrentList].filter((torrent) => torrent.state === 'paused').map((torrent) => torrent.id);
      if (ids.length > 0) await act(seedboxId, (client) => client.start(ids));
    },
    async start() {
      if (started) return;
      started = true;
      preferences = await registry.preferences();
      const all = await registry.list();
      const added = await Promise.all(all.map(async (view) => addBox(await registry.get(view.id))));
      // Every box is listed (connecting) once this returns.
      for (const box of added) startBox(box);
    },
    async stop() {
      started = false;
      await Promise.all([...boxes.values()].map(stopBox));
      boxes.clear();
    },
  };
}

function stepFor(error: SeedboxError): 'address' | 'proxy' | 'ssh' | 'connect' | 'tls' | 'login' | 'list' {
  const { code } = error;
  // A saved secret refused for changed settings belongs to the step it was for.
  if (error.details['reason'] === 'endpoint-changed') return error.details['purpose'] === 'ssh-secret' ? 'ssh' : error.details['purpose'] === 'proxy-password' ? 'proxy' : 'login';
  if (code === 'invalid-argument') return 'address';
  if (code.startsWith('tls-')) return 'tls';
  if (code === 'auth-failed' || code === 'forbidden') return 'login';
  return 'connect';
}


export type { SeedboxView };
