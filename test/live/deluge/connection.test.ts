import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelugeConnection, DELUGE_AUTH_LEVEL } from '../../../electron/core/clients/deluge/connection';
import type { RencodeValue } from '../../../electron/core/codecs/rencode';
import { normalizeFingerprint } from '../../../electron/core/transports/tls';
import { rejectionOf } from '../../helpers/errors';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].deluge;

  let deluge: DelugeInstance;
  const opened: DelugeConnection[] = [];

  beforeAll(async () => {
    deluge = await startDeluged({ generation });
  });

  afterEach(() => {
    for (const connection of opened.splice(0)) connection.close();
  });

  afterAll(async () => {
    await deluge?.stop();
  });

  async function open(instance: DelugeInstance = deluge): Promise<DelugeConnection> {
    const connection = await DelugeConnection.open({
      host: '127.0.0.1',
      port: instance.port,
      tls: { pinnedSha256: instance.certificateSha256 },
      timeoutMs: 10_000,
      clientVersion: 'seedbox-remote test',
    });
    opened.push(connection);
    return connection;
  }

  describe(`deluged ${release.version} protocol`, () => {
    it('answers daemon.info before login', async () => {
      const connection = await open();
      expect(await connection.info()).toBe(release.version);
    });

    it('refuses other calls before login', async () => {
      const connection = await open();
      const error = await rejectionOf(connection.call('core.get_session_state'));
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('not logged in');
      expect(error.details).toMatchObject({ exception: 'NotAuthorizedError', method: 'core.get_session_state' });
    });

    it('rejects a wrong password and an unknown user with auth-failed', async () => {
      const connection = await open();
      const wrong = await rejectionOf(connection.login(deluge.username, 'not the password'));
      expect(wrong.code).toBe('auth-failed');
      expect(wrong.message).toContain('Password does not match');
      expect(wrong.message).not.toContain('not the password');
      expect(wrong.message).not.toMatch(/Traceback|\.py/);
      const unknown = await rejectionOf(connection.login('nobody', 'x'));
      expect(unknown.code).toBe('auth-failed');
      expect(unknown.message).toContain('Username does not exist');
    });

    it('logs in and calls core methods', async () => {
      const connection = await open();
      expect(await connection.login(deluge.username, deluge.password)).toBe(DELUGE_AUTH_LEVEL.admin);
      expect(await connection.call('core.get_session_state')).toEqual([]);
      expect(await connection.call('core.get_config_value', ['daemon_port'])).toBe(deluge.port);
      expect(await connection.call('core.get_config_value', ['download_location'])).toBe(deluge.downloadDir);
    });

    it('says a read-only account is too low for a normal call', async () => {
      const reader = deluge.users.find((user) => user.level === DELUGE_AUTH_LEVEL.readOnly)!;
      const connection = await open();
      expect(await connection.login(reader.name, reader.password)).toBe(DELUGE_AUTH_LEVEL.readOnly);
      const error = await rejectionOf(connection.call('core.get_session_state'));
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain("level is too low (1; it needs 5)");
    });

    it('sends a batch in one frame, with an unknown method failing alone', async () => {
      const connection = await open();
      await connection.login(deluge.username, deluge.password);
      const results = await connection.callBatch([
        { method: 'daemon.info' },
        { method: 'core.no_such_method' },
        { method: 'core.get_config_values', args: [['dht', 'upnp', 'listen_interface']] },
      ]);
      expect(results[0]).toEqual({ ok: true, value: release.version });
      expect(results[1]).toMatchObject({ ok: false, error: { code: 'unsupported', details: { exception: 'WrappedException', type: 'AttributeError' } } });
      expect(results[2]).toEqual({ ok: true, value: { dht: false, upnp: false, listen_interface: '127.0.0.1' } });
    });

    it('delivers the events asked for', async () => {
      const connection = await open();
      await connection.login(deluge.username, deluge.password);
      const events: Array<[string, RencodeValue[]]> = [];
      connection.onEvent((name, args) => events.push([name, args]));
      await connection.setEventInterest(['ConfigValueChangedEvent']);
      await connection.call('core.set_config', [{ max_active_seeding: 7 }]);
      await expect.poll(() => events, { timeout: 5_000 }).toContainEqual(['ConfigValueChangedEvent', ['max_active_seeding', 7]]);
    });

    it('refuses the unpinned self-signed certificate, reporting its fingerprint', async () => {
      const error = await rejectionOf(DelugeConnection.open({ host: '127.0.0.1', port: deluge.port, timeoutMs: 10_000 }));
      expect(error.code).toBe('tls-untrusted');
      expect(normalizeFingerprint(String(error.details['presented']))).toBe(deluge.certificateSha256);
      expect(error.details['subject']).toContain('Deluge Daemon');
      const changed = await rejectionOf(
        DelugeConnection.open({ host: '127.0.0.1', port: deluge.port, timeoutMs: 10_000, tls: { pinnedSha256: 'ab'.repeat(32) } }),
      );
      expect(changed.code).toBe('tls-pin-mismatch');
    });
  });

  describe('deluged dying mid-call', () => {
    it('rejects every pending call promptly', async () => {
      const doomed = await startDeluged({ generation });
      try {
        const connection = await open(doomed);
        await connection.login(doomed.username, doomed.password);
        // Frozen, it cannot answer; killed, the kernel closes its end of the connection.
        doomed.daemon.child.kill('SIGSTOP');
        const pending = ['core.get_session_state', 'core.get_config', 'daemon.info'].map((method) => rejectionOf(connection.call(method)));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const killedAt = performance.now();
        doomed.daemon.child.kill('SIGKILL');
        const errors = await Promise.all(pending);
        expect(performance.now() - killedAt).toBeLessThan(2_000);
        expect(errors.map((error) => error.code)).toEqual(['connection-lost', 'connection-lost', 'connection-lost']);
        expect(errors[1]!.message).toContain('core.get_config');
        expect((await rejectionOf(connection.info())).code).toBe('connection-lost');
      } finally {
        await doomed.stop();
      }
    });
  });
});
