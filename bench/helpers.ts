// The benches start the same hardened daemons and make the same torrents as the live tests.
export { startRtorrent, type RtorrentInstance } from '../test/helpers/rtorrent';
export { makeTorrent, type MadeTorrent } from '../test/helpers/torrents';
export { FAST_SESSION_LOAD, writeRtorrentSession, type SessionTorrent } from '../test/helpers/rtorrent-session';
