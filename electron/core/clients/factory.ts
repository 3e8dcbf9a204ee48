import type { ClientKind } from '../../shared/model';
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

/** scgi:// can only be rTorrent and deluge:// only Deluge; http(s) could be any of four. */
export function inferClientKind(url: string): ClientKind | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'scgi') return 'rtorrent';
  if (scheme === 'deluge') return 'deluge';
  return undefined;
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
