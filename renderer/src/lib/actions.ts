// Pure helpers of the torrent actions: which boxes and ids a selection touches, what the
// selected boxes can all do, and the words the confirmation dialogs use.
import { formatBytes, type ByteUnits } from '../../../electron/shared/format';
import { currentLocale, i18n } from '../i18n';
import type { Capabilities } from '../../../electron/shared/model';
import type { TorrentRow } from './torrent-view';

/** seedboxId → ids, in selection order. */
export function groupByBox(rows: readonly Pick<TorrentRow, 'seedboxId' | 'id'>[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const ids = groups.get(row.seedboxId);
    if (ids) ids.push(row.id);
    else groups.set(row.seedboxId, [row.id]);
  }
  return groups;
}

const NO_CAPABILITIES: Capabilities = {
  labels: false,
  multipleLabels: false,
  queue: false,
  deleteData: false,
  moveStorage: false,
  alternativeSpeed: false,
  pushEvents: false,
  freeSpace: false,
  perTorrentSpeedLimits: false,
  filePriorities: [],
  addFromUrl: false,
};

/** What every one of the boxes can do (a box not connected can do nothing yet). */
export function commonCapabilities(boxCapabilities: readonly (Capabilities | null)[]): Capabilities {
  if (boxCapabilities.length === 0) return NO_CAPABILITIES;
  const result: Capabilities = { ...NO_CAPABILITIES, ...(boxCapabilities[0] ?? NO_CAPABILITIES) };
  for (const caps of boxCapabilities.slice(1)) {
    const other = caps ?? NO_CAPABILITIES;
    for (const key of Object.keys(result) as (keyof Capabilities)[]) {
      if (key === 'filePriorities') result.filePriorities = result.filePriorities.filter((priority) => other.filePriorities.includes(priority));
      else result[key] = result[key] && other[key];
    }
  }
  return result;
}

const RUNNING = new Set(['downloading', 'seeding', 'queued', 'checking', 'metadata']);

/** Space: resumes when any selected torrent is stopped (paused or in error), else pauses them all. */
export function toggleAction(rows: readonly Pick<TorrentRow, 'state'>[]): 'start' | 'stop' {
  return rows.some((row) => !RUNNING.has(row.state)) ? 'start' : 'stop';
}

/** "“Ubuntu ISO”" or "3 torrents", for toasts and dialog titles. */
export function describeRows(rows: readonly Pick<TorrentRow, 'name'>[]): string {
  if (rows.length === 1) return i18n.global.t('dialogs.quotedName', { name: rows[0]!.name });
  return i18n.global.t('dialogs.torrentCount', { n: rows.length }, rows.length);
}

/** What a removal will delete, named: the first few torrents and the data size on disk. */
export function removalSummary(
  rows: readonly Pick<TorrentRow, 'name' | 'doneBytes' | 'savePath'>[],
  { deleteData, units = 'binary', shown = 5 }: { deleteData: boolean; units?: ByteUnits; shown?: number },
): {
  title: string;
  names: string[];
  more: number;
  consequence: string;
} {
  const names = rows.slice(0, shown).map((row) => row.name);
  const bytes = rows.reduce((sum, row) => sum + row.doneBytes, 0);
  const { t } = i18n.global;
  const n = rows.length;
  return {
    title: deleteData ? t('dialogs.removeWithDataTitle', { n }, n) : t('dialogs.removeTitle', { n }, n),
    names,
    more: Math.max(0, rows.length - shown),
    consequence: deleteData
      ? t('dialogs.removeWithDataConsequence', { size: formatBytes(bytes, units, currentLocale()) })
      : t('dialogs.removeConsequence'),
  };
}

/** The labels text field: "movies, 4k" → ['movies', '4k'] (one label when the client allows one). */
export function parseLabels(text: string, multiple: boolean): string[] {
  const labels = [...new Set(text.split(',').map((label) => label.trim()).filter(Boolean))];
  return multiple ? labels : labels.slice(0, 1);
}

/** A magnet for each torrent (the name as dn, and its tracker hosts are not URLs so none). */
export function magnetOf(row: Pick<TorrentRow, 'id' | 'name'>): string {
  return `magnet:?xt=urn:btih:${row.id}&dn=${encodeURIComponent(row.name)}`;
}
