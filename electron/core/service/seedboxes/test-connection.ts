import type { InvokeResult, SerializedError } from '../../../shared/contract';
import type { SFTPWrapper } from 'ssh2';
import { SeedboxError, toSeedboxError } from '../../../shared/errors';
import { redactUrl } from '../../../shared/redact-url';
import type { Seedbox, SftpPathMapping } from '../../../shared/seedbox';
import type { SecretReader } from '../../connections/open';
import type { OpenConnection } from '../../connections/session';
import { remoteStat, toSftpPath } from '../../fetch/remote';

type TestReportStep = InvokeResult<'seedboxes:test'>['steps'][number];
type TestStep = TestReportStep['step'];

/**
 * The editor's "Test": opens a connection of its own with these settings, logs in, lists, looks
 * up the save paths over SFTP when the box has SSH settings, closes.
 */
export async function testConnection(
  open: (seedbox: Seedbox, readSecret: SecretReader) => Promise<OpenConnection>,
  seedbox: Seedbox,
  readSecret: SecretReader,
): Promise<InvokeResult<'seedboxes:test'>> {
  const steps: InvokeResult<'seedboxes:test'>['steps'] = [];
  let connection: OpenConnection | undefined;
  try {
    connection = await open(seedbox, readSecret);
    steps.push({ step: 'address', ok: true, message: `${seedbox.kind} at ${redactUrl(seedbox.url)}` });
    const info = await connection.client.connect();
    steps.push({ step: 'login', ok: true, message: `Connected to ${info.kind} ${info.version} (${info.protocol}).` });
    const torrents = await connection.client.list();
    steps.push({ step: 'list', ok: true, message: `${torrents.length} torrent(s).` });
    if (connection.openSftp) {
      const sftp = await sftpStep(connection.openSftp, seedbox.sftpPathMapping, torrents.map((torrent) => torrent.savePath));
      steps.push(sftp.step);
      // SSH settings for files only exist for this step, so its failure fails the Test; behind a
      // tunnel the daemon works either way, and the step only says whether fetching will.
      if (sftp.error && seedbox.sshTunnel?.remote === null) return { ok: false, steps, info, error: sftp.error.toJSON() as SerializedError, torrentCount: torrents.length };
    }
    return { ok: true, steps, info, error: null, torrentCount: torrents.length };
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    steps.push({ step: stepFor(error), ok: false, message: error.message });
    return { ok: false, steps, info: null, error: error.toJSON() as SerializedError, torrentCount: null };
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** How many distinct save paths the SFTP step looks up: enough to catch a wrong mapping, quickly. */
const SAVE_PATHS_CHECKED = 3;

/**
 * The SFTP step: each distinct save path of the torrents, through the path mapping, looked up
 * over SFTP. A path missing there is the usual sign of a mapping to set (a chroot, a home folder).
 * The window's editor and `seedbox boxes test` both take it.
 */
export async function sftpStep(
  openSftp: () => Promise<SFTPWrapper>,
  pathMapping: readonly SftpPathMapping[],
  savePaths: string[],
): Promise<{ step: TestReportStep; error?: SeedboxError }> {
  let sftp: SFTPWrapper;
  try {
    sftp = await openSftp();
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    return { step: { step: 'sftp', ok: false, message: error.message }, error };
  }
  try {
    const paths = [...new Set(savePaths.filter((path) => path !== ''))].slice(0, SAVE_PATHS_CHECKED);
    if (paths.length === 0) return { step: { step: 'sftp', ok: true, message: 'SFTP works; no torrent has a save path to look up yet.' } };
    const found: string[] = [];
    for (const daemonPath of paths) {
      const sftpPath = toSftpPath(daemonPath, pathMapping);
      const shown = sftpPath === daemonPath ? sftpPath : `${daemonPath} (over SFTP ${sftpPath})`;
      try {
        await remoteStat(sftp, sftpPath);
        found.push(shown);
      } catch (thrown) {
        const problem = toSeedboxError(thrown);
        const missing = problem.code === 'not-found';
        const message = missing ? `The save path ${shown} does not exist over SFTP: set the path mapping for fetching.` : problem.message;
        const error = missing ? new SeedboxError('not-found', message, { path: sftpPath, daemonPath, reason: 'sftp-path-missing' }) : problem;
        return { step: { step: 'sftp', ok: false, message }, error };
      }
    }
    return { step: { step: 'sftp', ok: true, message: `Save path${found.length === 1 ? '' : 's'} found over SFTP: ${found.join(', ')}.` } };
  } finally {
    sftp.end();
  }
}

function stepFor(error: SeedboxError): TestStep {
  const { code } = error;
  // A saved secret refused for changed settings belongs to the step it was for.
  if (error.details['reason'] === 'endpoint-changed') return error.details['purpose'] === 'ssh-secret' ? 'ssh' : error.details['purpose'] === 'proxy-password' ? 'proxy' : 'login';
  if (code === 'invalid-argument') return 'address';
  if (code.startsWith('tls-')) return 'tls';
  if (code === 'auth-failed' || code === 'forbidden') return 'login';
  return 'connect';
}
