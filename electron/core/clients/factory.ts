import type { Seedbox } from '../../shared/seedbox';
import type { ClientTransport, ConnectionSettings, TorrentClient } from './types';
import { DelugeClient } from './deluge/client';
import { QbittorrentClient } from './qbittorrent/client';
import { RtorrentClient } from './rtorrent/client';
import { TransmissionClient } from './transmission/client';

/**
 * A saved seedbox's settings as a client needs them; the password comes from the secret store,
 * the TLS pin from the seedbox itself, and `transport` adds the deadline and connector.
 */
export function clientSettingsFor(seedbox: Seedbox, password: string | undefined, transport: Omit<ClientTransport, 'tls'> = {}): ConnectionSettings {
  const common = {
    url: seedbox.url,
    ...(seedbox.username ? { username: seedbox.username } : {}),
    ...(password !== undefined ? { password } : {}),
    transport: { ...transport, ...(seedbox.tlsPinSha256 ? { tls: { pinnedSha256: seedbox.tlsPinSha256 } } : {}) },
  };
  return seedbox.kind === 'rtorrent' ? { kind: 'rtorrent', ...common, labelStyle: seedbox.labelStyle } : { kind: seedbox.kind, ...common };
}

export function createTorrentClient(settings: ConnectionSettings): TorrentClient {
  switch (settings.kind) {
    case 'rtorrent':
      return new RtorrentClient(settings);
    case 'deluge':
      return new DelugeClient(settings);
    case 'qbittorrent':
      return new QbittorrentClient(settings);
    case 'transmission':
      return new TransmissionClient(settings);
  }
}
