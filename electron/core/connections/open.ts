import type { Seedbox } from '../../shared/seedbox';
import { clientSettingsFor, createTorrentClient } from '../clients/factory';
import type { SecretReader } from '../secrets/secret-endpoint';
import type { Connector } from '../transports/types';
import { createProxyConnector } from './proxy';
import type { OpenConnection } from './session';
import { SshTunnel } from './ssh-tunnel';

export type { SecretReader };

/**
 * Everything between a seedbox's settings and a connected client: secrets read now, a proxy
 * connector if configured, an SSH tunnel (itself possibly through the proxy) if configured,
 * TLS pin, then the client for its kind. Closing closes the tunnel too. SSH settings that name
 * nothing to tunnel to are for files only: SFTP opens its own SSH connection when first asked.
 */
export async function openSeedboxConnection(
  seedbox: Seedbox,
  readSecret: SecretReader,
  options: { timeoutMs?: number } = {},
): Promise<OpenConnection> {
  // Every secret is read before anything connects: a secret refused for this endpoint (see
  // guardSavedSecrets) stops the attempt before a packet leaves, even to a proxy or SSH server.
  const proxyPassword = seedbox.proxy ? await readSecret('proxy-password') : undefined;
  const sshSecret = seedbox.sshTunnel ? await readSecret('ssh-secret') : undefined;
  const daemonPassword = await readSecret('daemon-password');
  let connector: Connector | undefined;
  if (seedbox.proxy) {
    connector = createProxyConnector({ ...seedbox.proxy, ...(proxyPassword !== undefined ? { password: proxyPassword } : {}) }, options);
  }
  const ssh = seedbox.sshTunnel;
  const sshOptions = { ...(connector ? { connector } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
  const sshCredentials = ssh ? { ...ssh, ...(sshSecret !== undefined ? { secret: sshSecret } : {}) } : undefined;
  let tunnel: SshTunnel | undefined;
  if (sshCredentials?.remote) {
    tunnel = await SshTunnel.open(sshCredentials, sshOptions);
    connector = tunnel.connector;
  }
  // SSH for files only: connected when a fetch asks, not for every connection to the daemon.
  let filesOnly: Promise<SshTunnel> | undefined;
  const sshForFiles = (): Promise<SshTunnel> => (tunnel ? Promise.resolve(tunnel) : (filesOnly ??= SshTunnel.open(sshCredentials!, sshOptions).catch((error: unknown) => {
      // The next fetch tries again (the host key pinned since, the server back).
      filesOnly = undefined;
      throw error;
    })));
  const settings = clientSettingsFor(seedbox, daemonPassword, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(connector ? { connector } : {}),
  });
  try {
    const client = createTorrentClient(settings);
    return {
      client,
      ...(sshCredentials
        ? {
            openSftp: async () => (await sshForFiles()).sftp(),
            openSftpConnection: async () => {
              const connection = await SshTunnel.open(sshCredentials, sshOptions);
              try {
                return { sftp: await connection.sftp(), close: () => connection.close() };
              } catch (error) {
                await connection.close();
                throw error;
              }
            },
            sftpPathMapping: seedbox.sftpPathMapping,
          }
        : {}),
      async close() {
        await client.close().catch(() => undefined);
        await tunnel?.close();
        await filesOnly?.then((files) => files.close()).catch(() => undefined);
      },
    };
  } catch (error) {
    await tunnel?.close();
    throw error;
  }
}
