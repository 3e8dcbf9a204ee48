// The test helpers that start daemons and make torrents (test/helpers/*) belong to the test
// project, which tsconfig.tools.json does not reference: a static import would pull test files
// into the tools project (TS6307). They are loaded at run time instead, so the hardened
// daemon setup has one home, with the part of their interface the benches use declared here.

/** The part of test/helpers/rtorrent.ts's RtorrentInstance the benches use. */
export interface RtorrentInstance {
  dir: string;
  downloadDir: string;
  /** scgi:///abs/path.sock or scgi://127.0.0.1:PORT */
  url: string;
  socketPath?: string;
  stop(): Promise<void>;
}

/** The part of test/helpers/torrents.ts's MadeTorrent the benches use. */
export interface MadeTorrent {
  bytes: Uint8Array;
  infoHash: string;
  name: string;
}

export interface TestHelpers {
  startRtorrent(options?: { scgi?: 'unix' | 'tcp'; extraConfig?: string[] }): Promise<RtorrentInstance>;
  makeTorrent(options: {
    dataParent: string;
    name: string;
    files: { path: string; content: Buffer | string }[];
    trackers?: string[];
    writeData?: boolean;
  }): MadeTorrent;
}

export async function loadTestHelpers(): Promise<TestHelpers> {
  const rtorrent = (await import(new URL('../test/helpers/rtorrent.ts', import.meta.url).href)) as Partial<TestHelpers>;
  const torrents = (await import(new URL('../test/helpers/torrents.ts', import.meta.url).href)) as Partial<TestHelpers>;
  const { startRtorrent } = rtorrent;
  const { makeTorrent } = torrents;
  if (typeof startRtorrent !== 'function' || typeof makeTorrent !== 'function') {
    throw new Error('test/helpers no longer export startRtorrent and makeTorrent as the benches expect.');
  }
  return { startRtorrent, makeTorrent };
}
