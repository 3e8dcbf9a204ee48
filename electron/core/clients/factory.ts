import type { ClientKind } from '../../shared/model';
import type { Seedbox } from '../../shared/seedbox';
import type { Connector, TlsOptions } from '../transports/types';
import type { TorrentClient } from './types';
import { DelugeClient } from './deluge/client';
import { QbittorrentClient } from './qbittorrent/client';
import { RtorrentClient } from './rtorrent/client';
import { TransmissionClient } from './transmission/client';
import type { LabelStyle } from './rtorrent/labels';

/** Everything needed to reach one daemon; the seedbox registry stores all but the secrets. */
export interface ConnectionSettings {
  kind: ClientKind;
  url: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
  tls?: TlsOptions;
  connector?: Connector;
  /** rTorrent only: how labels are stored in d.custom1. */
  labelStyle?: LabelStyle;
}

/** A saved seedbox's settings as a client needs them; the password comes from the secret store. */
export function clientSettingsFor(seedbox: Seedbox, password: string | undefined, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    kind: seedbox.kind,
    url: seedbox.url,
    ...(seedbox.username ? { username: seedbox.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(seedbox.tlsPinSha256 ? { tls: { pinnedSha256: seedbox.tlsPinSha256 } } : {}),
    labelStyle: seedbox.labelStyle,
    ...extra,
  };
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
