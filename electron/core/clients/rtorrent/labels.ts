import { SeedboxError } from '../../../shared/errors';
import type { LabelStyle } from '../../../shared/seedbox';

/**
 * rTorrent has no labels of its own; front ends keep them in d.custom1, in two forms:
 * - 'rutorrent': one label, URL-encoded (ruTorrent writes encodeURIComponent(label)).
 * - 'flood': any number of tags, each URL-encoded, joined by commas (Flood, rtorrent-rpc).
 * Which one a seedbox uses is its setting, because writing the other form would garble the
 * labels the user's web UI shows. The default is ruTorrent's, the most common.
 */
export { LABEL_STYLES, type LabelStyle } from '../../../shared/seedbox';

export function decodeLabels(custom1: string, style: LabelStyle): string[] {
  if (custom1 === '') return [];
  if (style === 'rutorrent') return [safeDecode(custom1)];
  return custom1
    .split(',')
    .map((tag) => safeDecode(tag).trim())
    .filter((tag) => tag !== '');
}

export function encodeLabels(labels: string[], style: LabelStyle): string {
  const cleaned = [...new Set(labels.map((label) => label.trim()).filter((label) => label !== ''))];
  // encodeURIComponent throws on a lone surrogate half: say which label instead.
  const broken = cleaned.find((label) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(label));
  if (broken !== undefined) throw new SeedboxError('invalid-argument', `The label "${broken}" contains a broken character.`);
  if (style === 'rutorrent') {
    if (cleaned.length > 1) {
      throw new SeedboxError(
        'unsupported',
        'This seedbox stores labels the ruTorrent way (one label per torrent); choose one label, or switch its label style to "flood" for several.',
      );
    }
    return cleaned.length === 0 ? '' : encodeURIComponent(cleaned[0]!);
  }
  return cleaned.map(encodeURIComponent).join(',');
}

/** Values written by hand or by other tools may not be valid percent-encoding: show them as they are. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
