// A saved SSH password reaches the SSH server it was saved for (a real sshd, then a real
// rtorrent behind it), and no other: not another port, not another user on the same server.
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { SeedboxSchema, type Seedbox } from '../../../electron/shared/seedbox';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startSshd, type SshdInstance } from '../../helpers/sshd';

let core: ComposedCore;
let sshd: SshdInstance;
let rt: RtorrentInstance;
/** Stands for an SSH server the caller moved the box to: records whatever reaches it. */
const recorded: Buffer[] = [];
const recorder = createServer((socket: Socket) => {
  socket.on('data', (chunk: Buffer) => recorded.push(chunk));
  socket.on('error', () => undefined);
});
let recorderPort: number;

beforeAll(async () => {
  [sshd, rt] = await Promise.all([startSshd({ passwordUser: 'seedbox-sshsecret' }), startRtorrent({ scgi: 'tcp' })]);
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderPort = (recorder.address() as { port: number }).port;
  core = await composeCore({ configPath: join(tempDir('saved-ssh'), 'seedbox-remote.json'), version: 'test', platform: 'linux', memorySecrets: 'tests' });
});

afterAll(async () => {
  await core?.service.stop();
  recorder.close();
  await Promise.all([sshd?.stop(), rt?.stop()]);
});

describe('the saved SSH password', () => {
  it('goes to its own SSH server, and never to another port or user', async () => {
    const login = sshd.passwordLogin!;
    const view = await core.registry.add(
      {
        name: 'Behind SSH',
        kind: 'rtorrent',
        // The tunnel decides where the daemon is; the URL's host is a placeholder.
        url: 'scgi://127.0.0.1:1',
        sshTunnel: { host: '127.0.0.1', port: sshd.port, username: login.username, auth: 'password', hostKeySha256: sshd.hostKey.sha256, remote: { kind: 'tcp', host: '127.0.0.1', port: rt.port! } },
      },
      { 'ssh-secret': login.password },
    );
    const saved: Seedbox = SeedboxSchema.parse(view);
    const test = (edited: Partial<Seedbox>) => {
      const { id, ...seedbox } = { ...saved, ...edited };
      return core.service.handlers['seedboxes:test']({ id, seedbox, secrets: {} } as never);
    };

    expect(await test({})).toMatchObject({ ok: true, info: { kind: 'rtorrent' } });

    const moved = await test({ sshTunnel: { ...saved.sshTunnel!, port: recorderPort } });
    expect(moved).toMatchObject({ ok: false, error: { code: 'auth-failed', details: { reason: 'endpoint-changed', purpose: 'ssh-secret' } } });
    expect(moved.steps.at(-1)).toMatchObject({ step: 'ssh', ok: false });
    const otherUser = await test({ sshTunnel: { ...saved.sshTunnel!, username: 'root' } });
    expect(otherUser.error).toMatchObject({ details: { reason: 'endpoint-changed', purpose: 'ssh-secret' } });
    // Refused before any connection: the moved-to server saw nothing at all.
    expect(Buffer.concat(recorded).length).toBe(0);
  });
});
