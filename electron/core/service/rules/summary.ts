import type { RulesRunSummary } from '../../../shared/contract';
import { formatBytes, type ByteUnits } from '../../../shared/format';

/**
 * A run in a few lines for a notification: what was done per box ("Removed 3 torrents on
 * Box A, 41 GiB freed"), what failed, which boxes could not be read. Null when the run neither
 * acted nor had an action fail: nothing worth interrupting anyone for.
 */
export function describeRulesRun(summary: RulesRunSummary, units: ByteUnits = 'binary'): { title: string; body: string } | null {
  if (!worthNotice(summary)) return null;
  const failed = summary.boxes.reduce((sum, box) => sum + box.failed, 0);
  const lines: string[] = [];
  for (const box of summary.boxes) {
    const parts = [
      box.removed > 0 ? `removed ${count(box.removed, 'torrent')}` : '',
      box.stopped > 0 ? `stopped ${count(box.stopped, 'torrent')}` : '',
      box.labelled > 0 ? `changed the labels of ${count(box.labelled, 'torrent')}` : '',
    ].filter((part) => part !== '');
    if (parts.length > 0) {
      const freed = box.bytesFreed > 0 ? `, ${box.bytesFreedUpperBound ? 'up to ' : ''}${formatBytes(box.bytesFreed, units)} freed` : '';
      lines.push(`${capitalised(parts.join(', '))} on ${box.seedbox.name}${freed}`);
    }
    if (box.failed > 0) lines.push(`${count(box.failed, 'action')} failed on ${box.seedbox.name}`);
  }
  for (const { seedbox, error } of summary.failures) lines.push(`${seedbox.name} could not be read: ${error.message}`);
  return { title: failed > 0 ? 'Seeding rules: some actions failed' : 'Seeding rules acted', body: lines.join('\n') };
}

/** A run that acted or had an action fail; a run with nothing to do (or only previews) is no news. */
export function worthNotice(summary: RulesRunSummary): boolean {
  return summary.boxes.some((box) => box.done > 0 || box.failed > 0);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
