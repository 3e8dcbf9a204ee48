// Main speaks the person's language: the tray, notifications and the magnet question come from
// the same catalogue as the window, in the chosen locale, with numbers formatted for it.
import { describe, expect, it } from 'vitest';
import { resolveLanguage } from '../../../electron/shared/i18n';
import { startFailureBox, systemLanguages } from '../../../electron/main/language';
import { magnetQuestion } from '../../../electron/main/magnet-handler';
import { noticeToNotification } from '../../../electron/main/notifications';
import { trayModel } from '../../../electron/main/tray';

const on = { notifications: { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true } };
const totals = {
  downRate: 1536 * 1024,
  upRate: 0,
  boxes: [{ seedboxId: 'a', name: 'Alpha', state: 'failed', downRate: 0, upRate: 0, alternativeSpeed: null, canPause: false }],
};

describe("main's language", () => {
  it('draws the tray in German, with German numbers', () => {
    const model = trayModel(totals, { closeToTray: true, startAtLogin: false }, { visible: false }, { running: 1, queued: 2, doneBytes: 1, totalBytes: 4, bytesPerSecond: 1536, etaSeconds: 90 }, 'de');
    expect(model.items.map((item) => ('label' in item ? item.label : '-'))).toEqual([
      'Seedbox Remote anzeigen', '-', 'Alpha (fehlgeschlagen)', '-', 'In den Infobereich schließen', 'Bei der Anmeldung starten', '-', 'Beenden',
    ]);
    expect(model.tooltip).toBe('Seedbox Remote\n↓ 1,50 MiB/s  ↑ -\nAbruf von 1, 2 wartend: 25,0\u00a0% mit 1,50 KiB/s, noch 1 Min., 30 Sek.');
  });

  it('writes notifications in Simplified Chinese and English', () => {
    const notice = { kind: 'seedbox-back', seedboxId: 'a', seedboxName: 'Alpha' } as const;
    expect(noticeToNotification(notice, on, 'zh-CN')).toEqual({ title: 'Alpha 已恢复', body: '连接已恢复。' });
    expect(noticeToNotification(notice, on)).toEqual({ title: 'Alpha is back', body: 'The connection is restored.' });
  });

  it('asks the magnet question in the locale, yes first', () => {
    expect(magnetQuestion('de').buttons).toEqual(['Hier öffnen', 'Bisherige App behalten']);
    expect(magnetQuestion().message).toBe('Open magnet links with Seedbox Remote?');
  });

  it("says the app could not start in the OS's language, and in English when the OS cannot say", () => {
    const german = { getPreferredSystemLanguages: () => ['de-DE'], getLocale: () => 'de-DE' };
    expect(startFailureBox(new Error('settings unreadable'), german)).toEqual({ title: 'Seedbox Remote konnte nicht starten', content: 'settings unreadable' });
    const broken = { getPreferredSystemLanguages: (): string[] => { throw new Error('not ready'); }, getLocale: () => 'de-DE' };
    expect(startFailureBox('odd', broken)).toEqual({ title: 'Seedbox Remote could not start', content: 'odd' });
  });

  it("follows the OS's languages unless one is chosen; Chromium's locale when the OS lists none", () => {
    expect(resolveLanguage('system', systemLanguages({ getPreferredSystemLanguages: () => ['de-CH', 'en-US'], getLocale: () => 'en-US' }))).toBe('de');
    expect(resolveLanguage('system', systemLanguages({ getPreferredSystemLanguages: () => [], getLocale: () => 'zh-CN' }))).toBe('zh-CN');
    expect(resolveLanguage('en', ['de-DE'])).toBe('en');
  });
});
