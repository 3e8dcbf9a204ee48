// Bounds on what the window, the OS or a file may hand to the main process, shared by the
// window (which refuses early, with a message), the IPC contract (which refuses anything over
// them) and the core (which reads and parses within them).

/** Bigger than any sane .torrent (rTorrent 0.9.8 takes 2 MiB at most; libtorrent's default cap is 10 MB). */
export const MAX_TORRENT_FILE_BYTES = 64 * 1024 * 1024;

/** Sources (files, magnets, URLs) in one add request. */
export const MAX_ADD_REQUEST_SOURCES = 1000;

/** All .torrent bytes in one add request together: a few hundred real files, not a flood. */
export const MAX_ADD_REQUEST_BYTES = 256 * 1024 * 1024;

/** Files in one .torrent: far above real torrents, in line with libtorrent's own load limits. */
export const MAX_TORRENT_FILES = 200_000;

/** How many of a .torrent's files the add dialog is sent and lists; the rest are counted. */
export const MAX_LISTED_TORRENT_FILES = 5_000;

/** Tracker URLs of a .torrent the add dialog is sent (over all tiers). */
export const MAX_LISTED_TRACKERS = 200;
