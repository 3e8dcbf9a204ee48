// The one catalogue of the daemons we speak to: what each is called, which address forms it
// takes, its default ports and paths, the examples the editor and the CLI show, and what it can
// do whatever its version or set-up. Everything that names a client or states an address rule
// reads it from here (the address rules themselves are in ./address.ts).
import type { Capabilities, ClientKind, FilePriority } from '../model';

/** The address schemes, and what each says about reaching the daemon. */
export const SCHEMES = {
  /** rTorrent's own SCGI: scgi://host:port, or scgi:///path for a Unix socket. No login. */
  scgi: { defaultPort: null, userInfo: false },
  http: { defaultPort: 80, userInfo: true },
  https: { defaultPort: 443, userInfo: true },
  /** The Deluge daemon's TLS + rencode protocol (not deluge-web). */
  deluge: { defaultPort: 58846, userInfo: true },
} as const satisfies Record<string, { defaultPort: number | null; userInfo: boolean }>;
export type Scheme = keyof typeof SCHEMES;

export interface DaemonDescriptor {
  kind: ClientKind;
  /** As people write it: "rTorrent", "qBittorrent". */
  name: string;
  /** The schemes its addresses may use, the first being the usual one. */
  schemes: readonly Scheme[];
  /** The port the daemon listens on out of the box (rTorrent has none: SCGI needs one set). */
  daemonPort: number | null;
  /** Over HTTP(S): the path used when the address has none ('' = the address as given). */
  defaultHttpPath: string;
  /** Addresses shown in the editor and in error messages, the most common first. */
  examples: readonly string[];
  /** Said after the examples where one address is easily taken for another ('' when none). */
  addressHint: string;
  /** rTorrent keeps labels in d.custom1 in one of several styles the user must choose. */
  labelStyles: boolean;
  /** What it can do whatever its version and configuration; the rest is learned on connecting. */
  capabilities: Partial<Capabilities>;
}

const rtorrent = {
  kind: 'rtorrent',
  name: 'rTorrent',
  schemes: ['scgi', 'http', 'https'],
  daemonPort: null,
  // Where rTorrent's XML-RPC is mounted behind nearly every web server (nginx scgi_pass).
  defaultHttpPath: '/RPC2',
  examples: ['scgi://host:5000', 'scgi:///home/me/.rtorrent.sock', 'https://host/RPC2'],
  addressHint: '',
  labelStyles: true,
  capabilities: {
    labels: true,
    queue: false,
    alternativeSpeed: false,
    pushEvents: false,
    freeSpace: false,
    filePriorities: ['skip', 'normal', 'high'] as FilePriority[],
    addFromUrl: false,
  },
} as const satisfies DaemonDescriptor;

/**
 * What Deluge, qBittorrent and Transmission all do through their APIs whatever the version:
 * they delete and move data themselves, report free space, limit single torrents and fetch a
 * .torrent from a URL. (rTorrent does these through the app or not at all.)
 */
const DAEMON_SIDE_DATA = {
  deleteData: true,
  moveStorage: true,
  freeSpace: true,
  perTorrentSpeedLimits: true,
  addFromUrl: true,
} as const satisfies Partial<Capabilities>;

const deluge = {
  kind: 'deluge',
  name: 'Deluge',
  schemes: ['deluge'],
  daemonPort: SCHEMES.deluge.defaultPort,
  defaultHttpPath: '',
  examples: [`deluge://host:${SCHEMES.deluge.defaultPort}`],
  // deluge-web (port 8112) is what people find first; we speak to the daemon itself.
  addressHint: 'the daemon, not the web UI',
  labelStyles: false,
  capabilities: {
    // labels: only with the Label plugin, known once connected.
    multipleLabels: false,
    queue: true,
    ...DAEMON_SIDE_DATA,
    alternativeSpeed: false,
    pushEvents: true,
    filePriorities: ['skip', 'low', 'normal', 'high'] as FilePriority[],
  },
} as const satisfies DaemonDescriptor;

const qbittorrent = {
  kind: 'qbittorrent',
  name: 'qBittorrent',
  schemes: ['http', 'https'],
  daemonPort: 8080,
  // The WebUI's own address; the API is under /api/v2 of it.
  defaultHttpPath: '',
  examples: ['http://host:8080'],
  addressHint: '',
  labelStyles: false,
  capabilities: {
    labels: true,
    multipleLabels: true,
    // queue: only while queueing is enabled in its preferences.
    ...DAEMON_SIDE_DATA,
    alternativeSpeed: true,
    pushEvents: false,
    filePriorities: ['skip', 'normal', 'high'] as FilePriority[],
  },
} as const satisfies DaemonDescriptor;

const transmission = {
  kind: 'transmission',
  name: 'Transmission',
  schemes: ['http', 'https'],
  daemonPort: 9091,
  defaultHttpPath: '/transmission/rpc',
  examples: ['http://host:9091/transmission/rpc'],
  addressHint: '',
  labelStyles: false,
  capabilities: {
    labels: true,
    multipleLabels: true,
    queue: true,
    ...DAEMON_SIDE_DATA,
    alternativeSpeed: true,
    pushEvents: false,
    filePriorities: ['skip', 'low', 'normal', 'high'] as FilePriority[],
  },
} as const satisfies DaemonDescriptor;

export const DAEMONS = { rtorrent, deluge, qbittorrent, transmission } as const satisfies Record<ClientKind, DaemonDescriptor>;

/** "rTorrent", "qBittorrent", ... for a client kind. */
export function daemonName(kind: ClientKind): string {
  return DAEMONS[kind].name;
}

/** "a, b or c (hint)": how the examples read inside a sentence. */
export function examplesText(kind: ClientKind): string {
  const { examples, addressHint } = DAEMONS[kind];
  const list = examples.length === 1 ? examples[0]! : `${examples.slice(0, -1).join(', ')} or ${examples[examples.length - 1]!}`;
  return addressHint ? `${list} (${addressHint})` : list;
}

const SCHEME_PREFIX = /^([a-z][a-z0-9+.-]*):/i;

/** The scheme of an address, lower-cased, or undefined when it has none. */
export function schemeOf(text: string): string | undefined {
  return SCHEME_PREFIX.exec(text.trim())?.[1]?.toLowerCase();
}

/** The one kind whose addresses use this scheme (scgi:// is rTorrent, deluge:// Deluge); undefined when several could (http) or none. */
export function kindFromUrl(text: string): ClientKind | undefined {
  const scheme = schemeOf(text);
  const kinds = Object.values(DAEMONS).filter((daemon) => (daemon.schemes as readonly string[]).includes(scheme ?? ''));
  return kinds.length === 1 ? kinds[0]!.kind : undefined;
}

/** The schemes that name their kind by themselves ("scgi://", "deluge://"), for help texts. */
export function schemesThatNameTheirKind(): string[] {
  return (Object.keys(SCHEMES) as Scheme[]).filter((scheme) => kindFromUrl(`${scheme}:`) !== undefined).map((scheme) => `${scheme}://`);
}
