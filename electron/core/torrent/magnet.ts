import { SeedboxError } from '../../shared/errors';
import { isTorrentId } from '../clients/checks';

export interface MagnetLink {
  /** Lowercase hex v1 info-hash. */
  infoHash: string;
  displayName: string;
  trackers: string[];
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Parses a magnet URI with a v1 (btih) info-hash, hex or base32, or throws 'invalid-torrent'. */
export function parseMagnet(uri: string): MagnetLink {
  const invalid = (why: string): SeedboxError =>
    new SeedboxError('invalid-torrent', `Not a usable magnet link: ${why}.`, { magnet: uri.slice(0, 200) });
  if (!/^magnet:\?/i.test(uri)) throw invalid('it does not start with "magnet:?"');

  const params = new URLSearchParams(uri.slice(uri.indexOf('?') + 1));
  let infoHash: string | undefined;
  for (const topic of params.getAll('xt')) {
    const match = /^urn:btih:([0-9a-z]+)$/i.exec(topic);
    if (!match) continue;
    const value = match[1]!;
    if (isTorrentId(value)) infoHash = value.toLowerCase();
    else if (/^[A-Z2-7]{32}$/i.test(value)) infoHash = base32ToHex(value.toUpperCase());
    else throw invalid('its btih info-hash is neither 40 hex digits nor 32 base32 characters');
    break;
  }
  if (!infoHash) throw invalid('it has no "xt=urn:btih:" info-hash (only BitTorrent v1 magnets are supported)');
  return { infoHash, displayName: params.get('dn') ?? '', trackers: params.getAll('tr') };
}

function base32ToHex(value: string): string {
  let bits = '';
  for (const char of value) bits += BASE32_ALPHABET.indexOf(char).toString(2).padStart(5, '0');
  let hex = '';
  for (let index = 0; index + 4 <= bits.length; index += 4) hex += parseInt(bits.slice(index, index + 4), 2).toString(16);
  return hex;
}
