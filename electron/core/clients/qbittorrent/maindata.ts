// The torrent list as qBittorrent's sync/maindata builds it up: a full answer for rid 0,
// then answers carrying only what changed. This merges them and keeps one normalized Torrent
// per id, re-normalizing only the torrents an answer touched.
import type { Torrent } from '../../../shared/model';
import { trackerHost } from '../../../shared/tracker-host';
import { normalizeTorrent, type TrackerCheck } from './normalize';
import type { RawMainData, RawServerState, RawTorrent } from './raw';

/** What changed since the changes were last taken (see SyncState.takeChanges). */
export interface ListChanges {
  /** A full answer came (first refresh, re-login, daemon restart): treat every torrent as new. */
  full: boolean;
  /** Ids added or changed. */
  changed: string[];
  removed: string[];
}

export class SyncState {
  /** The rid to send next; 0 asks for everything. */
  rid = 0;
  readonly serverState: RawServerState = {};
  private readonly raw = new Map<string, RawTorrent>();
  private readonly normalized = new Map<string, Torrent>();
  private readonly urlsById = new Map<string, Set<string>>();
  private readonly idsByUrl = new Map<string, string[]>();
  /** What the client last read of each torrent's trackers, with when (ms). */
  private readonly checks = new Map<string, TrackerCheck & { at: number }>();
  private pending: { full: boolean; changed: Set<string>; removed: Set<string> } = { full: false, changed: new Set(), removed: new Set() };

  /** Forget everything: the next answer will be a full one. */
  reset(): void {
    this.rid = 0;
  }

  apply(answer: RawMainData): void {
    const touched = new Set<string>();
    const removed = new Set<string>();
    if (answer.full_update) {
      for (const id of this.raw.keys()) removed.add(id);
      this.raw.clear();
      this.normalized.clear();
      this.urlsById.clear();
      this.idsByUrl.clear();
      for (const key of Object.keys(this.serverState)) delete this.serverState[key as keyof RawServerState];
      this.pending.full = true;
    }
    const queueingBefore = this.serverState.queueing === true;
    Object.assign(this.serverState, answer.server_state ?? {});

    for (const [key, partial] of Object.entries(answer.torrents ?? {})) {
      const id = key.toLowerCase();
      const current = this.raw.get(id);
      if (current) Object.assign(current, partial);
      else this.raw.set(id, { ...partial });
      touched.add(id);
      removed.delete(id);
    }
    for (const key of answer.torrents_removed ?? []) {
      const id = key.toLowerCase();
      this.raw.delete(id);
      this.normalized.delete(id);
      this.checks.delete(id);
      this.forgetTrackers(id);
      touched.delete(id);
      removed.add(id);
    }
    if (answer.full_update) for (const id of this.checks.keys()) if (!this.raw.has(id)) this.checks.delete(id);
    for (const [url, ids] of Object.entries(answer.trackers ?? {})) this.setTrackerUsers(url, ids, touched);
    for (const url of answer.trackers_removed ?? []) this.setTrackerUsers(url, [], touched);

    // A queue switched on or off changes every torrent's queuePosition.
    const queueingChanged = (this.serverState.queueing === true) !== queueingBefore;
    for (const id of queueingChanged ? this.raw.keys() : touched) {
      const raw = this.raw.get(id);
      if (!raw) continue;
      this.renormalize(id, raw);
    }
    for (const id of removed) {
      this.pending.changed.delete(id);
      this.pending.removed.add(id);
    }
    this.rid = answer.rid;
  }

  private renormalize(id: string, raw: RawTorrent): void {
    const checked = this.checks.get(id);
    this.normalized.set(id, normalizeTorrent(id, raw, { trackerHosts: this.trackerHosts(id), queueing: this.serverState.queueing === true, ...(checked ? { checked } : {}) }));
    this.pending.changed.add(id);
    this.pending.removed.delete(id);
  }

  /**
   * The torrents whose trackers are due a look: never looked at first, then the longest ago,
   * at most `count` (each look is a request or two).
   */
  dueForTrackerCheck(count: number): { id: string; needsPrivate: boolean }[] {
    const never: string[] = [];
    const seen: [string, number][] = [];
    for (const id of this.raw.keys()) {
      const checked = this.checks.get(id);
      if (checked) seen.push([id, checked.at]);
      else never.push(id);
    }
    const due = never.length >= count ? never.slice(0, count) : [...never, ...seen.sort((a, b) => a[1] - b[1]).slice(0, count - never.length).map(([id]) => id)];
    return due.map((id) => ({ id, needsPrivate: this.needsPrivate(id) }));
  }

  /** Whether neither maindata (before 5.0) nor a look so far has told the private flag. */
  needsPrivate(id: string): boolean {
    return this.raw.get(id)?.private === undefined && this.checks.get(id)?.private === undefined;
  }

  /** Records a look at a torrent's trackers; the torrent counts as changed when its verdict did. */
  setTrackerCheck(id: string, check: TrackerCheck, at: number): void {
    const raw = this.raw.get(id);
    if (!raw) return;
    const before = this.checks.get(id);
    const next = { ...check, private: check.private ?? before?.private, at };
    if (next.private === undefined) delete next.private;
    this.checks.set(id, next as TrackerCheck & { at: number });
    const same =
      before !== undefined &&
      before.private === next.private &&
      (Object.keys(check.verdict) as (keyof TrackerCheck['verdict'])[]).every((key) => before.verdict[key] === check.verdict[key]);
    if (!same) this.renormalize(id, raw);
  }

  has(id: string): boolean {
    return this.raw.has(id);
  }

  get(id: string): Torrent | undefined {
    return this.normalized.get(id);
  }

  get size(): number {
    return this.normalized.size;
  }

  list(): Torrent[] {
    return [...this.normalized.values()];
  }

  /** Returns what changed since the previous call, and starts collecting afresh. */
  takeChanges(): ListChanges {
    const { full, changed, removed } = this.pending;
    this.pending = { full: false, changed: new Set(), removed: new Set() };
    return { full, changed: [...changed], removed: [...removed] };
  }

  /**
   * The `trackers` map sends a URL's whole list of users whenever it changes. Only the torrents
   * that joined or left the list are touched: with 10 000 torrents on one tracker, adding one
   * must not re-normalize (and report as changed) the other 9 999.
   */
  private setTrackerUsers(url: string, ids: string[], touched: Set<string>): void {
    const next = new Set(ids.map((id) => id.toLowerCase()));
    const previous = new Set(this.idsByUrl.get(url) ?? []);
    for (const id of previous) {
      if (next.has(id)) continue;
      this.urlsById.get(id)?.delete(url);
      if (this.raw.has(id)) touched.add(id);
    }
    for (const id of next) {
      if (previous.has(id)) continue;
      let urls = this.urlsById.get(id);
      if (!urls) this.urlsById.set(id, (urls = new Set()));
      urls.add(url);
      if (this.raw.has(id)) touched.add(id);
    }
    if (next.size === 0) this.idsByUrl.delete(url);
    else this.idsByUrl.set(url, [...next]);
  }

  private forgetTrackers(id: string): void {
    for (const url of this.urlsById.get(id) ?? []) {
      const users = this.idsByUrl.get(url)?.filter((user) => user !== id) ?? [];
      if (users.length === 0) this.idsByUrl.delete(url);
      else this.idsByUrl.set(url, users);
    }
    this.urlsById.delete(id);
  }

  private trackerHosts(id: string): string[] {
    const hosts: string[] = [];
    for (const url of this.urlsById.get(id) ?? []) {
      const host = trackerHost(url);
      if (host !== '' && !hosts.includes(host)) hosts.push(host);
    }
    return hosts;
  }
}
