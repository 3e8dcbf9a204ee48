import type { WindowState } from '../core/config/schema';

// Restoring the window where the user left it, but never off screen: the monitor it was on may
// be gone, smaller, or arranged differently since.

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the config file keeps about the window (`window` in the config). */
export type { WindowState };

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 };
export const MIN_WINDOW_SIZE = { width: 720, height: 480 };

/** Bounds for a new window: no x/y means "let the OS centre it". */
export interface RestoredBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/**
 * The saved bounds moved and shrunk into the work area of the display they overlap most; a
 * window that overlaps none (its display was unplugged) goes to the centre of the primary one.
 * `workAreas[0]` is the primary display.
 */
export function restoreBounds(saved: WindowState | null | undefined, workAreas: readonly Rectangle[]): RestoredBounds {
  const primary = workAreas[0];
  const valid = saved && [saved.x, saved.y, saved.width, saved.height].every(Number.isFinite);
  if (!primary) return { ...(valid ? { width: saved.width, height: saved.height } : DEFAULT_WINDOW_SIZE), maximized: false };
  if (!valid) return { ...fitSize(DEFAULT_WINDOW_SIZE, primary), maximized: false };

  const best = workAreas
    .map((area) => ({ area, overlap: overlapArea(saved, area) }))
    .reduce((a, b) => (b.overlap > a.overlap ? b : a));
  if (best.overlap <= 0) return { ...fitSize(saved, primary), maximized: saved.maximized };

  const area = best.area;
  const { width, height } = fitSize(saved, area);
  return {
    x: clamp(saved.x, area.x, area.x + area.width - width),
    y: clamp(saved.y, area.y, area.y + area.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

function fitSize(size: { width: number; height: number }, area: Rectangle): { width: number; height: number } {
  return {
    width: Math.round(clamp(size.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width)),
    height: Math.round(clamp(size.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height)),
  };
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
