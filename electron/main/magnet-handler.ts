import type { Config } from '../core/config/schema';
import { createTranslator, DEFAULT_LOCALE, type Locale } from '../shared/i18n';

// Becoming the OS's magnet: handler takes magnet links away from the user's other torrent
// client, so the app asks once and remembers the answer in the settings file. It registers
// only after a yes, and never again behind the user's back: if another app took the links
// over since, the question comes back rather than a silent re-registration.

export type MagnetAnswer = NonNullable<Config['magnetLinks']>;

export interface ProtocolApp {
  isDefaultProtocolClient(protocol: string): boolean;
  setAsDefaultProtocolClient(protocol: string): boolean;
}

/** What to do at start: nothing (already ours, or the user said no), or ask. */
export function magnetHandlerStep(options: { isDefault: boolean; answer: MagnetAnswer | undefined }): 'nothing' | 'ask' {
  if (options.isDefault || options.answer === 'declined') return 'nothing';
  return 'ask';
}

/** The question, in main's language: the first button says yes. */
export function magnetQuestion(locale: Locale = DEFAULT_LOCALE): Electron.MessageBoxOptions & { buttons: string[] } {
  const t = createTranslator(locale);
  return {
    type: 'question',
    title: t('main.magnet.title'),
    message: t('main.magnet.message'),
    detail: t('main.magnet.detail'),
    buttons: [t('main.magnet.yes'), t('main.magnet.no')],
    defaultId: 0,
    // Escape or closing the box means no.
    cancelId: 1,
    noLink: true,
  };
}

/**
 * Asks if needed (through `ask`, which returns the pressed button), stores the answer with
 * `remember`, and registers after a yes. Returns what happened, for the log.
 */
export async function offerMagnetHandler(options: {
  app: ProtocolApp;
  answer: MagnetAnswer | undefined;
  ask: () => Promise<number>;
  remember: (answer: MagnetAnswer) => Promise<void>;
}): Promise<'already' | 'declined' | 'registered' | 'registration-failed'> {
  const isDefault = options.app.isDefaultProtocolClient('magnet');
  if (magnetHandlerStep({ isDefault, answer: options.answer }) === 'nothing') return isDefault ? 'already' : 'declined';
  const accepted = (await options.ask()) === 0;
  await options.remember(accepted ? 'accepted' : 'declined');
  if (!accepted) return 'declined';
  return options.app.setAsDefaultProtocolClient('magnet') ? 'registered' : 'registration-failed';
}
