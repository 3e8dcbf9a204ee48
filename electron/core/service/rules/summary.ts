import type { RulesRunSummary } from '../../../shared/contract';
import { formatBytes, formatCount, type ByteUnits } from '../../../shared/format';
import { createTranslator, DEFAULT_LOCALE, type Locale } from '../../../shared/i18n';

/**
 * A run in a few lines for a notification: what was done per box ("Removed 3 torrents on
 * Box A, 41 GiB freed"), what failed, which boxes could not be read. Null when the run neither
 * acted nor had an action fail: nothing worth interrupting anyone for.
 */
export function describeRulesRun(summary: RulesRunSummary, units: ByteUnits = 'binary', locale: Locale = DEFAULT_LOCALE): { title: string; body: string } | null {
  if (!worthNotice(summary)) return null;
  const t = createTranslator(locale);
  const failed = summary.boxes.reduce((sum, box) => sum + box.failed, 0);
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const lines: string[] = [];
  for (const box of summary.boxes) {
    const named = (n: number): { n: string; box: string } => ({ n: formatCount(n, locale), box: box.seedbox.name });
    const parts = [
      box.removed > 0 ? t('main.notice.rulesRemoved', named(box.removed), box.removed) : '',
      box.stopped > 0 ? t('main.notice.rulesStopped', named(box.stopped), box.stopped) : '',
      box.labelled > 0 ? t('main.notice.rulesLabelled', named(box.labelled), box.labelled) : '',
    ].filter((part) => part !== '');
    if (parts.length > 0) {
      const line = { actions: list.format(parts), box: box.seedbox.name, bytes: formatBytes(box.bytesFreed, units, locale) };
      const text =
        box.bytesFreed <= 0
          ? t('main.notice.rulesOnBox', line)
          : box.bytesFreedUpperBound
            ? t('main.notice.rulesOnBoxFreedUpTo', line)
            : t('main.notice.rulesOnBoxFreed', line);
      lines.push(capitalised(text, locale));
    }
    if (box.failed > 0) lines.push(t('main.notice.rulesFailed', named(box.failed), box.failed));
  }
  for (const { seedbox, error } of summary.failures) lines.push(t('main.notice.rulesUnreadable', { box: seedbox.name, message: error.message }));
  return { title: t(failed > 0 ? 'main.notice.rulesSomeFailed' : 'main.notice.rulesActed'), body: lines.join('\n') };
}

/** A run that acted or had an action fail; a run with nothing to do (or only previews) is no news. */
export function worthNotice(summary: RulesRunSummary): boolean {
  return summary.boxes.some((box) => box.done > 0 || box.failed > 0);
}

/** A sentence starts with a capital where the language has them ("Removed 3 torrents ..."). */
function capitalised(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}
