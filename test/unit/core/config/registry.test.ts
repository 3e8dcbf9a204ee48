import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { clientSettingsFor } from '../../../../electron/core/clients/factory';
import { SeedboxRegistry, slug, type SeedboxView } from '../../../../electron/core/config/registry';
import type { RegistryApi } from '../../../../electron/core/service/registry-api';
import { SeedboxViewSchema } from '../../../../electron/shared/contract';
import { SeedboxError } from '../../../../electron/shared/errors';
import type { NewSeedbox } from '../../../../electron/shared/seedbox';
import { MemorySecretStore } from '../../../../electron/core/secrets/memory-store';
import { tempDir } from '../../../helpers/processes';
import { rejectionOf } from '../../../helpers/errors';

const PIN = 'ab'.repeat(32);

/** The memory store, with a set() that can be made to fail once, as a locked keychain would. */
class FlakySecretStore extends MemorySecretStore {
  failNextSet: Error | undefined;

  override async set(...args: Parameters<MemorySecretStore['set']>): Promise<void> {
    const failure = this.failNextSet;
    this.failNextSet = undefined;
    if (failure) throw failure;
    return super.set(...args);
  }
}
const NO_SECRETS = { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false };

let path: string;
let secrets: FlakySecretStore;
let registry: SeedboxRegistry;
let suffixes: number;

beforeEach(() => {
  path = join(tempDir('registry'), 'seedbox-remote.json');
  secrets = new FlakySecretStore({ unavailableReason: 'tests' });
  suffixes = 0;
  registry = new SeedboxRegistry({ config: new ConfigFile({ path }), secrets, randomSuffix: () => `x${String(++suffixes).padStart(5, '0')}` });
});

const rtorrent = (name: string, extra: Partial<NewSeedbox> = {}): NewSeedbox => ({ name, kind: 'rtorrent', url: 'scgi://127.0.0.1:5000', ...extra });

describe('SeedboxRegistry: add, list, get', () => {
  it('adds with a readable id, defaults filled, and lists views that pass the contract’s schema', async () => {
    const view = await registry.add(rtorrent('My Box (EU) ü'));
    expect(view).toEqual({
      id: 'my-box-eu-u-x00001',
      name: 'My Box (EU) ü',
      kind: 'rtorrent',
      url: 'scgi://127.0.0.1:5000',
      username: '',
      tlsPinSha256: null,
      proxy: null,
      sshTunnel: null,
      pathMapping: [],
      sftpPathMapping: [],
      pollIntervalMs: null,
      labelStyle: 'rutorrent',
      secrets: NO_SECRETS,
    });
    const listed = await registry.list();
    expect(listed).toEqual([view]);
    expect(SeedboxViewSchema.array().parse(listed)).toEqual(listed);
    expect(await registry.get(view.id)).toEqual(view);
    // A fresh registry on the same file sees it: it was saved.
    expect(await new SeedboxRegistry({ config: new ConfigFile({ path }), secrets }).list()).toEqual([view]);
  });

  it('makes ids that match the id pattern from any name, and never reuses a taken one', async () => {
    for (const name of ['!!!', 'Ünïcödé 名前', 'a'.repeat(100), '--x--']) expect(`${slug(name)}-abcdef`).toMatch(/^[a-z0-9-]{1,64}$/);
    expect(slug('名前')).toBe('seedbox');
    const repeating = new SeedboxRegistry({ config: new ConfigFile({ path }), secrets, randomSuffix: (() => {
      const values = ['aaaaaa', 'aaaaaa', 'bbbbbb'];
      return () => values.shift()!;
    })() });
    const first = await repeating.add(rtorrent('Box'));
    await repeating.update(first.id, { name: 'Renamed' });
    const second = await repeating.add(rtorrent('Box'));
    expect([first.id, second.id]).toEqual(['box-aaaaaa', 'box-bbbbbb']);
  });

  it('keeps names unique ignoring case, on add and on rename', async () => {
    const home = await registry.add(rtorrent('Home'));
    const error = await rejectionOf(registry.add(rtorrent('  HOME ')));
    expect(error.code).toBe('already-exists');
    expect(error.message).toBe('There is already a seedbox named "Home"; names must differ (ignoring case).');
    const other = await registry.add(rtorrent('Other'));
    expect((await rejectionOf(registry.update(other.id, { name: 'home' }))).code).toBe('already-exists');
    // Renaming a box to itself in another case is fine.
    expect((await registry.update(home.id, { name: 'HOME' })).name).toBe('HOME');
  });

  it('finds by name ignoring case, by id, and says when a name is unknown or ambiguous', async () => {
    const box = await registry.add(rtorrent('Seedbox One'));
    expect((await registry.getByName('seedbox one')).id).toBe(box.id);
    expect((await registry.getByName(box.id)).id).toBe(box.id);
    const missing = await rejectionOf(registry.getByName('nope'));
    expect(missing).toMatchObject({ code: 'not-found', message: 'No seedbox named "nope".' });
    expect((await rejectionOf(registry.get('nope'))).code).toBe('not-found');

    // Only a hand-edited file can hold two boxes with one name.
    const config = new ConfigFile({ path });
    await config.update((settings) => {
      settings.seedboxes.push({ ...settings.seedboxes[0]!, id: 'twin', name: 'SEEDBOX ONE' });
    });
    const ambiguous = await rejectionOf(new SeedboxRegistry({ config, secrets }).getByName('Seedbox one'));
    expect(ambiguous.code).toBe('invalid-argument');
    expect(ambiguous.message).toContain(`give its id (${box.id}, twin)`);
  });

  it('rejects invalid settings with the field named', async () => {
    const error = await rejectionOf(registry.add({ ...rtorrent('X'), pollIntervalMs: 5 }));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(error.message).toMatch(/^Invalid seedbox settings: pollIntervalMs: /);
    expect((await rejectionOf(registry.add(rtorrent('')))).message).toMatch(/name/);
  });
});

// Which addresses are accepted, and the sentences for those refused: test/unit/shared/daemons.test.ts.
describe('SeedboxRegistry: URLs', () => {
  it('takes the user and password out of the URL: the user into username, the password into the secret store', async () => {
    const view = await registry.add({ name: 'Provider', kind: 'rtorrent', url: 'https://me%40mail:p%40ss%3Aw%C3%B6rd@box.example.com:8443/RPC2' });
    expect(view).toMatchObject({ url: 'https://box.example.com:8443/RPC2', username: 'me@mail', secrets: { 'daemon-password': true } });
    expect(await secrets.get(view.id, 'daemon-password')).toBe('p@ss:wörd');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/p%40ss|p@ss|w%C3%B6rd|wörd/);
    expect(await (await registry.secretReader(view.id, view))('daemon-password')).toBe('p@ss:wörd');
  });

  it('keeps an explicit user name that agrees with the URL and refuses one that does not', async () => {
    expect((await registry.add({ name: 'A', kind: 'qbittorrent', url: 'http://ann@host:8080', username: 'ann' })).username).toBe('ann');
    const error = await rejectionOf(registry.add({ name: 'B', kind: 'qbittorrent', url: 'http://ann:pw@host:8080', username: 'bob' }));
    expect(error.message).toBe('The address names user "ann" but the user name is "bob"; give one of them.');
    expect(error.message).not.toContain('pw');
    expect((await registry.list()).map((box) => box.name)).toEqual(['A']);
  });

  it('checks and strips a changed URL on update, against the new kind', async () => {
    const box = await registry.add(rtorrent('Box'));
    expect((await rejectionOf(registry.update(box.id, { kind: 'deluge' }))).message).toMatch(/Deluge addresses look like/);
    const updated = await registry.update(box.id, { kind: 'deluge', url: 'deluge://daemon:s3cret@box:58846' });
    expect(updated).toMatchObject({ kind: 'deluge', url: 'deluge://box:58846', username: 'daemon', secrets: { 'daemon-password': true } });
    expect(await secrets.get(box.id, 'daemon-password')).toBe('s3cret');
  });
});

describe('SeedboxRegistry: changes', () => {
  it('updates only the fields given', async () => {
    const box = await registry.add(rtorrent('Box', { username: 'ann', labelStyle: 'flood', pollIntervalMs: 2000 }));
    const updated = await registry.update(box.id, { name: 'Renamed' });
    expect(updated).toEqual({ ...box, name: 'Renamed' });
    expect((await rejectionOf(registry.update('missing', { name: 'x' }))).code).toBe('not-found');
  });

  it('removes a seedbox and every secret it had, leaving the others', async () => {
    const one = await registry.add(rtorrent('One'), { 'daemon-password': 'a', 'ssh-secret': 'b' });
    const two = await registry.add(rtorrent('Two'), { 'daemon-password': 'c' });
    await registry.remove(one.id);
    expect((await registry.list()).map((box) => box.id)).toEqual([two.id]);
    for (const purpose of ['daemon-password', 'ssh-secret'] as const) expect(await secrets.has(one.id, purpose)).toBe(false);
    expect(await secrets.get(two.id, 'daemon-password')).toBe('c');
    expect((await rejectionOf(registry.remove(one.id))).code).toBe('not-found');
  });

  it('reorders by a permutation of the ids and refuses anything else', async () => {
    const ids = [(await registry.add(rtorrent('A'))).id, (await registry.add(rtorrent('B'))).id, (await registry.add(rtorrent('C'))).id];
    await registry.reorder([ids[2]!, ids[0]!, ids[1]!]);
    expect((await registry.list()).map((box) => box.name)).toEqual(['C', 'A', 'B']);
    for (const bad of [[ids[0]!, ids[1]!], [ids[0]!, ids[0]!, ids[1]!], [...ids, 'extra'], [ids[0]!, ids[1]!, 'other']]) {
      const error = await rejectionOf(registry.reorder(bad));
      expect(error).toMatchObject({ code: 'invalid-argument', message: 'The new order must list every seedbox exactly once.' });
    }
    expect((await registry.list()).map((box) => box.name)).toEqual(['C', 'A', 'B']);
  });

  it('sets and clears secrets, showing only whether they are set', async () => {
    const box = await registry.add(rtorrent('Box'));
    await registry.setSecret(box.id, 'proxy-password', 'pp');
    expect((await registry.get(box.id)).secrets).toEqual({ ...NO_SECRETS, 'proxy-password': true });
    await registry.clearSecret(box.id, 'proxy-password');
    expect((await registry.get(box.id)).secrets).toEqual(NO_SECRETS);
    expect((await rejectionOf(registry.setSecret(box.id, 'daemon-password', ''))).code).toBe('invalid-argument');
    expect((await rejectionOf(registry.setSecret('missing', 'daemon-password', 'x'))).code).toBe('not-found');
  });

  it('does not keep a seedbox whose password could not be stored', async () => {
    secrets.failNextSet = new SeedboxError('unavailable', 'The keychain is locked.');
    const error = await rejectionOf(registry.add(rtorrent('Box'), { 'daemon-password': 'pw' }));
    expect(error.message).toBe('The keychain is locked.');
    expect(await registry.list()).toEqual([]);
  });

  it('pins a certificate (colons and case ignored) and a host key, and unpins', async () => {
    const box = await registry.add({ name: 'TLS', kind: 'qbittorrent', url: 'https://host' });
    const colons = PIN.toUpperCase().match(/../g)!.join(':');
    expect((await registry.pinCertificate(box.id, colons)).tlsPinSha256).toBe(PIN);
    expect((await registry.get(box.id)).tlsPinSha256).toBe(PIN);
    expect((await registry.pinCertificate(box.id, null)).tlsPinSha256).toBeNull();
    expect((await rejectionOf(registry.pinCertificate(box.id, 'abc'))).message).toMatch(/64 hexadecimal digits/);
    expect((await rejectionOf(registry.pinHostKey(box.id, PIN))).message).toBe('"TLS" does not use an SSH tunnel, so it has no host key to pin.');

    const tunnelled = await registry.add(
      rtorrent('Tunnel', { sshTunnel: { host: 'box', username: 'me', auth: 'agent', remote: { kind: 'unix', path: '/home/me/rt.sock' } } }),
    );
    expect((await registry.pinHostKey(tunnelled.id, PIN)).sshTunnel).toMatchObject({ host: 'box', port: 22, hostKeySha256: PIN });
  });

  it('tells listeners the new list after each change, and stops when unsubscribed', async () => {
    const seen: SeedboxView[][] = [];
    const stop = registry.onChange((views) => seen.push(views));
    const box = await registry.add(rtorrent('A'));
    await registry.setSecret(box.id, 'daemon-password', 'x');
    await registry.update(box.id, { name: 'B' });
    stop();
    await registry.remove(box.id);
    expect(seen.map((views) => views.map((view) => `${view.name}:${view.secrets['daemon-password']}`))).toEqual([['A:false'], ['A:true'], ['B:true']]);
  });
});

describe('SeedboxRegistry: what the service uses', () => {
  it('is the RegistryApi the service expects', () => {
    const api: RegistryApi = registry;
    expect(typeof api.secretReader).toBe('function');
  });

  it('reads secrets for the session layer', async () => {
    const box = await registry.add(rtorrent('Box'), { 'ssh-secret': 'key-pass' });
    const read = await registry.secretReader(box.id, box);
    expect(await read('ssh-secret')).toBe('key-pass');
    expect(await read('daemon-password')).toBeUndefined();
    expect((await rejectionOf(registry.secretReader('missing', box))).code).toBe('not-found');
  });

  it('keeps the preferences in the same file, merging changes and checking them', async () => {
    expect(await registry.preferences()).toMatchObject({ theme: 'system', refreshIntervalMs: 1500 });
    const updated = await registry.updatePreferences({ theme: 'dark' });
    expect(updated).toMatchObject({ theme: 'dark', refreshIntervalMs: 1500 });
    expect(JSON.parse(readFileSync(path, 'utf8')).preferences.theme).toBe('dark');
    const error = await rejectionOf(registry.updatePreferences({ refreshIntervalMs: 1 }));
    expect(error.message).toMatch(/^Invalid preferences: refreshIntervalMs: /);
    expect((await registry.preferences()).refreshIntervalMs).toBe(1500);
  });
});

describe('SeedboxRegistry: connection settings and the file', () => {
  it('gives the client settings of a saved seedbox, with its password', async () => {
    const box = await registry.add(
      { name: 'Full', kind: 'rtorrent', url: 'https://host/RPC2', username: 'ann', tlsPinSha256: PIN, labelStyle: 'flood', proxy: { kind: 'socks5', host: 'p', port: 1080 } },
      { 'daemon-password': 'pw', 'proxy-password': 'pp', 'ssh-secret': 'ss' },
    );
    const read = await registry.secretReader(box.id, box);
    expect(clientSettingsFor(await registry.get(box.id), await read('daemon-password'), { timeoutMs: 5000 })).toEqual({
      kind: 'rtorrent',
      url: 'https://host/RPC2',
      username: 'ann',
      password: 'pw',
      transport: { timeoutMs: 5000, tls: { pinnedSha256: PIN } },
      labelStyle: 'flood',
    });
    expect(await read('proxy-password')).toBe('pp');
    expect(await read('ssh-secret')).toBe('ss');
    const bare = await registry.add(rtorrent('Bare'));
    expect(clientSettingsFor(await registry.get(bare.id), undefined)).toEqual({ kind: 'rtorrent', url: 'scgi://127.0.0.1:5000', transport: {}, labelStyle: 'rutorrent' });
    // The label style is rTorrent's alone: other daemons' settings do not carry it.
    const qb = await registry.add(rtorrent('Qb', { kind: 'qbittorrent', url: 'http://127.0.0.1:8080' }));
    expect(clientSettingsFor(await registry.get(qb.id), 'pw')).toEqual({ kind: 'qbittorrent', url: 'http://127.0.0.1:8080', password: 'pw', transport: {} });
  });

  it('never writes a secret to the file', async () => {
    const values = ['daemon-Pa55!', 'ssh-Pa55!', 'proxy-Pa55!', 'url-Pa55!'];
    const box = await registry.add(
      { name: 'S', kind: 'transmission', url: `https://u:${values[3]}@host/transmission/rpc`, sshTunnel: null },
      { 'ssh-secret': values[1]!, 'proxy-password': values[2]! },
    );
    await registry.setSecret(box.id, 'daemon-password', values[0]!);
    await registry.update(box.id, { url: `https://u:${values[3]}@host2/transmission/rpc` });
    await registry.pinCertificate(box.id, PIN);
    const text = readFileSync(path, 'utf8');
    for (const value of values) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(encodeURIComponent(value));
    }
    expect(text).not.toMatch(/password"\s*:/i);
    expect(await secrets.get(box.id, 'daemon-password')).toBe(values[3]);
  });
});
