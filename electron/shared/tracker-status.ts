// One verdict over a torrent's trackers for the model's trackerStatus (issue 13 §1). A torrent is
// "unregistered" only on a tracker's explicit words; a tracker that cannot be reached (timeout,
// refused connection, DNS, HTTP errors) is an 'error' and never more, so cleanup rules cannot
// delete good torrents while a tracker is merely down.
import type { TrackerSummary } from './model';

/**
 * What trackers answer (as `failure reason` or warning) for a torrent they do not know,
 * lower case. Gazelle, Ocelot, UNIT3D, XBT and the common private-tracker frameworks.
 */
const UNREGISTERED_PHRASES = [
  'unregistered torrent',
  'torrent not registered',
  'torrent is not registered',
  'not registered with this tracker',
  'torrent not found',
  'torrent does not exist',
  'torrent has been deleted',
  'torrent is not authorized',
  'infohash not found',
  'info hash not found',
  'info_hash not found',
  'unknown torrent',
] as const;

/** True when a tracker's message says in words that it does not know the torrent. */
export function isUnregisteredMessage(message: string): boolean {
  const text = message.toLowerCase().replace(/\s+/g, ' ');
  return UNREGISTERED_PHRASES.some((phrase) => text.includes(phrase));
}

/** A tracker's reported problem as the model says it: its own words decide 'unregistered'. */
export function trackerProblem(kind: 'warning' | 'error', message: string): TrackerSummary {
  return isUnregisteredMessage(message) ? 'unregistered' : kind;
}

const SEVERITY: Record<TrackerSummary, number> = { ok: 0, warning: 1, error: 2, unregistered: 3 };

/** What one tracker last told the daemon: null when it has not answered yet (or is disabled). */
export interface TrackerReport {
  outcome: 'ok' | 'warning' | 'error' | null;
  /** The tracker's words, or the daemon's about reaching it ('' when none). */
  message: string;
}

/** The model's trackerStatus and trackerMessage: the worst report wins, with its message. */
export function summarizeTrackers(reports: Iterable<TrackerReport>): { trackerStatus: TrackerSummary | null; trackerMessage: string } {
  let trackerStatus: TrackerSummary | null = null;
  let trackerMessage = '';
  for (const report of reports) {
    if (report.outcome === null) continue;
    const status = report.outcome === 'ok' ? 'ok' : trackerProblem(report.outcome, report.message);
    if (trackerStatus === null || SEVERITY[status] > SEVERITY[trackerStatus]) {
      trackerStatus = status;
      trackerMessage = status === 'ok' ? '' : report.message;
    }
  }
  return { trackerStatus, trackerMessage };
}
