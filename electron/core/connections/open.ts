import type { Seedbox, SecretPurpose } from '../../shared/seedbox';
import { clientSettingsFor, createTorrentClient } from '../clients/factory';
import type { Connector } from '../transports/types';
import { createProxyConnector } from './proxy';
import type { OpenConnection } from './session';
import { SshTunnel } from './ssh-tunnel';

/** Reads one secret of the seedbox being opened (keychain, or this run's memory). */
export type SecretReader = (purpose: SecretPurpose) => Promise<string | undefined>;

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
  let connector: Connector | undefined;
  if (seedbox.proxy) {
    const password = await readSecret('proxy-password');
    connector = createProxyConnector({ ...seedbox.proxy, ...(password !== undefined ? { password } : {}) }, options);
  }
  let tunnel: SshTunnel | undefined;
  if (seedbox.sshTunnel) {
    const secret = await readSecret('ssh-secret');
    tunnel = await SshTunnel.open(
      { ...seedbox.sshTunnel, ...(secret !== undefined ? { secret } : {}) },
      { ...(connector ? { connector } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) },
    );
    connector = tunnel.connector;
  }
  const settings = clientSettingsFor(seedbox, await readSecret('daemon-password'), {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(connector ? { connector } : {}),
  });
  try {
    const client = createTorrentClient(settings);
    return {
      client,
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
