// Relative times for the table and the sidebar ("3m ago", "in 12s").

/** "just now", "5m ago", "3h ago", "12d ago", or the date when it is older than a year. */
export function formatRelativeTime(unixSeconds: number | null, nowMs: number): string {
  if (unixSeconds === null || !Number.isFinite(unixSeconds) || unixSeconds <= 0) return '';
  const seconds = Math.round(nowMs / 1000 - unixSeconds);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(seconds / 3600);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.round(seconds / 86400);
  if (days < 365) return `${days}d ago`;
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** Whole seconds until a Unix-milliseconds time, never negative. */
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}
