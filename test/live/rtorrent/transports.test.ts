import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedboxError } from '../../../electron/shared/errors';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import type { RtorrentConnectionSettings } from '../../../electron/core/clients/types';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startNginxScgiFront, type NginxFront } from '../../helpers/nginx';
import { freePort } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { tempDir } from '../../helpers/processes';
import { rejectionOf } from '../../helpers/errors';

async function failure(settings: Omit<RtorrentConnectionSettings, 'kind'>): Promise<SeedboxError> {
  return rejectionOf(new RtorrentClient({ kind: 'rtorrent', ...settings }).list());
}

describe('rtorrent over SCGI on a loopback TCP port', () => {
  let rt: RtorrentInstance;
  beforeAll(async () => {
    rt = await startRtorrent({ scgi: 'tcp' });
  });
  afterAll(async () => rt?.stop());

  it('adds, lists and removes', async () => {
    const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
    expect((await client.connect()).version).toBe('0.9.8');
    const made = makeTorrent({ dataParent: tempDir('tcp-data'), name: 'over tcp', files: [{ path: '', content: filler('t', 1000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
    expect((await client.list()).map((torrent) => torrent.id)).toEqual([id]);
    await client.remove([id], { deleteData: false });
    expect(await client.list()).toEqual([]);
  });

  it('explains a closed port, a timeout and an HTTP server where SCGI was expected', async () => {
    const closed = await failure({ url: `scgi://127.0.0.1:${await freePort()}` });
    expect(closed.code).toBe('connection-refused');
    expect(closed.message).toMatch(/127\.0\.0\.1/);

    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const started = Date.now();
    const timeout = await failure({ url: `scgi://127.0.0.1:${silentPort}`, transport: { timeoutMs: 300 } });
    expect(timeout.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    silent.close();

    const { createServer: createHttpServer } = await import('node:http');
    const web = createHttpServer((_, response) => response.end('hello'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const notScgi = await failure({ url: `scgi://127.0.0.1:${(web.address() as { port: number }).port}` });
    expect(notScgi.code).toBe('protocol');
    expect(notScgi.message).toMatch(/HTTP/);
    web.close();
  });
});

describe('rtorrent behind nginx: HTTPS, basic auth, pinned certificates', () => {
  let rt: RtorrentInstance;
  let nginx: NginxFront;
  beforeAll(async () => {
    rt = await startRtorrent({ scgi: 'unix' });
    nginx = await startNginxScgiFront({ scgiSocket: rt.socketPath! });
  });
  afterAll(async () => {
    await nginx?.stop();
    await rt?.stop();
  });

  it('refuses the self-signed certificate unpinned, and shows the fingerprint to pin', async () => {
    const error = await failure({ url: nginx.url, username: nginx.username, password: nginx.password });
    expect(error.code).toBe('tls-untrusted');
    expect(String(error.details['presented']).replaceAll(':', '').toLowerCase()).toBe(nginx.certificate.sha256);
    expect(error.message).toMatch(/fingerprint/i);
  });

  it('works with the pin, and with credentials in the URL', async () => {
    const pinned = new RtorrentClient({
      kind: 'rtorrent',
      url: nginx.url,
      username: nginx.username,
      password: nginx.password,
      transport: { tls: { pinnedSha256: nginx.certificate.sha256 } },
    });
    const info = await pinned.connect();
    expect(info.version).toBe('0.9.8');
    const made = makeTorrent({ dataParent: tempDir('https-data'), name: 'über https', files: [{ path: '', content: filler('h', 2000) }] });
    const id = await pinned.add({ kind: 'file', bytes: made.bytes }, { paused: true, labels: ['via nginx'] });
    expect((await pinned.list()).find((torrent) => torrent.id === id)?.labels).toEqual(['via nginx']);

    const userInfo = `${encodeURIComponent(nginx.username)}:${encodeURIComponent(nginx.password)}@`;
    const inUrl = new RtorrentClient({
      kind: 'rtorrent',
      url: nginx.url.replace('https://', `https://${userInfo}`),
      transport: { tls: { pinnedSha256: nginx.certificate.sha256 } },
    });
    expect((await inUrl.list()).map((torrent) => torrent.id)).toContain(id);
  });

  it('says so when the password is wrong or missing', async () => {
    const tls = { pinnedSha256: nginx.certificate.sha256 };
    const wrong = await failure({ url: nginx.url, username: nginx.username, password: 'nope', transport: { tls } });
    expect(wrong.code).toBe('auth-failed');
    const missing = await failure({ url: nginx.url, transport: { tls } });
    expect(missing.code).toBe('auth-failed');
  });

  it('explains a wrong mount path', async () => {
    const error = await failure({
      url: nginx.url.replace('/RPC2', '/nothing-here'),
      username: nginx.username,
      password: nginx.password,
      transport: { tls: { pinnedSha256: nginx.certificate.sha256 } },
    });
    expect(error.code).toBe('protocol');
    expect(error.message).toMatch(/404/);
  });

  it('stops with an explained error when the pinned certificate changes', async () => {
    const oldPin = nginx.certificate.sha256;
    const rotated = await nginx.rotateCertificate();
    expect(rotated.sha256).not.toBe(oldPin);
    const error = await failure({ url: nginx.url, username: nginx.username, password: nginx.password, transport: { tls: { pinnedSha256: oldPin } } });
    expect(error.code).toBe('tls-pin-mismatch');
    expect(String(error.details['presented']).replaceAll(':', '').toLowerCase()).toBe(rotated.sha256);
    expect(String(error.details['expected']).replaceAll(':', '').toLowerCase()).toBe(oldPin);
  });
});
