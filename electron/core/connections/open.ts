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
 * TLS pin, then the client for its kind. Closing closes the tunnel too.
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
  let tunnel: SshTunnel | undefined;
  if (seedbox.sshTunnel) {
    tunnel = await SshTunnel.open(
      { ...seedbox.sshTunnel, ...(sshSecret !== undefined ? { secret: sshSecret } : {}) },
      { ...(connector ? { connector } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) },
    );
    connector = tunnel.connector;
  }
  const settings = clientSettingsFor(seedbox, daemonPassword, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(connector ? { connector } : {}),
  });
  try {
    const client = createTorrentClient(settings);
    return {
      client,
      ...(tunnel ? { openSftp: () => tunnel.sftp() } : {}),
      async close() {
        await client.close().catch(() => undefined);
        await tunnel?.close();
      },
    };
  } catch (error) {
    await tunnel?.close();
    throw error;
  }
}
