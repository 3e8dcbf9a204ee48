// The torrent's own .torrent for the fetch engine's piece check: asked of the daemon
// (TorrentClient.exportMetainfo), read over SFTP where the daemon only says where it keeps it,
// and trusted only once it parses and its info-hash is the torrent's. Without it a fetch is
// checked by size only, and says why.
import type { SFTPWrapper } from 'ssh2';
import { SeedboxError, toSeedboxError, type ErrorCode } from '../../shared/errors';
import { daemonName } from '../../shared/daemons/catalogue';
import type { TorrentClient } from '../clients/types';
import { MAX_TORRENT_FILE_BYTES, parseTorrentFile } from '../torrent/metainfo';
import type { FetchTorrentRequest } from './fetch-torrent';
import type { FetchSource } from './queue';
import { RemoteFile, toSftpPath, type SftpPathMapping } from './remote';

/** Where files on the box are read: the fetch's own SFTP session and the box's path mapping. */
export interface BoxFiles {
  sftp: SFTPWrapper;
  pathMapping?: readonly SftpPathMapping[] | undefined;
}

/** The daemon's details of torrent `id` and its checked .torrent: what a fetch of it is given (a queue job's source too). */
export async function torrentToFetch(client: TorrentClient, id: string, box: BoxFiles): Promise<FetchSource['torrent']> {
  const details = await client.details(id);
  return {
    name: details.torrent.name,
    savePath: details.torrent.savePath,
    files: details.files,
    pathMapping: box.pathMapping,
    ...(await metainfoForFetch(client, id, box)),
  };
}

/**
 * The failures that mean this torrent has no .torrent we can use, as opposed to a box that is
 * not answering (thrown: the fetch would fail too, and is tried again as a whole).
 */
const NO_METAINFO: ReadonlySet<ErrorCode> = new Set(['unsupported', 'invalid-torrent', 'forbidden', 'refused', 'protocol', 'rpc-fault']);

/**
 * The checked .torrent of torrent `id`, or the reason there is none: the fetch then checks
 * sizes only and reports that reason.
 */
export async function metainfoForFetch(client: TorrentClient, id: string, box: BoxFiles): Promise<Pick<FetchTorrentRequest, 'metainfo' | 'metainfoUnavailable'>> {
  try {
    return { metainfo: await exportCheckedMetainfo(client, id, box) };
  } catch (error) {
    const problem = toSeedboxError(error);
    // A file missing on the box is a reason; the torrent itself missing is not.
    const missingFile = problem.code === 'not-found' && problem.details['path'] !== undefined;
    if (!NO_METAINFO.has(problem.code) && !missingFile) throw problem;
    return { metainfoUnavailable: { code: problem.code, message: problem.message } };
  }
}

/** The .torrent of torrent `id`, from wherever its daemon keeps it, once it proves to be that torrent's. */
export async function exportCheckedMetainfo(client: TorrentClient, id: string, box: BoxFiles | undefined): Promise<Uint8Array> {
  const exported = await client.exportMetainfo(id);
  if (exported.from === 'box-file') return checkMetainfo(await readBoxFile(exported.path, box), id, `${toSftpPath(exported.path, box?.pathMapping ?? [])} on the box`);
  return checkMetainfo(exported.bytes, id, `the .torrent ${daemonName((await client.connect()).kind)} gave`);
}

/** Refuses bytes that are not a .torrent, or are another torrent's. */
export function checkMetainfo(bytes: Uint8Array, id: string, where: string): Uint8Array {
  const meta = parseTorrentFile(bytes, where);
  if (meta.infoHash !== id.toLowerCase()) {
    throw new SeedboxError('invalid-torrent', `${where} belongs to another torrent (${meta.infoHash}), not to ${id.toLowerCase()}.`, {
      reason: 'info-hash-mismatch',
      expected: id.toLowerCase(),
      found: meta.infoHash,
    });
  }
  return bytes;
}

async function readBoxFile(daemonPath: string, box: BoxFiles | undefined): Promise<Uint8Array> {
  if (!box) {
    throw new SeedboxError('unsupported', `The daemon keeps the .torrent in ${daemonPath} on the box, which is read over SFTP: the seedbox needs SSH settings for that.`, {
      path: daemonPath,
    });
  }
  const path = toSftpPath(daemonPath, box.pathMapping ?? []);
  const file = await RemoteFile.open(box.sftp, path);
  try {
    const size = await file.size();
    if (size > MAX_TORRENT_FILE_BYTES) {
      throw new SeedboxError('invalid-torrent', `${path} on the box is ${size} bytes, more than a .torrent may be (${MAX_TORRENT_FILE_BYTES / 1048576} MiB).`, { path });
    }
    return await file.readExactly(0, size);
  } finally {
    await file.close();
  }
}
