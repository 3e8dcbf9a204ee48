import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../electron/core/config/registry';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-store';
import { checkDaemonUrl, parseDaemonUrl, type DaemonAddress } from '../../../electron/shared/daemons/address';
import { DAEMONS, daemonName, examplesText, kindFromUrl, schemesThatNameTheirKind } from '../../../electron/shared/daemons/catalogue';
import { CLIENT_KINDS, type ClientKind } from '../../../electron/shared/model';
import { emptyForm, validateForm } from '../../../renderer/src/components/editor/editor-form';
import { errorOf, rejectionOf } from '../../helpers/errors';
import { tempDir } from '../../helpers/processes';

type Accepted = [ClientKind, string, Partial<DaemonAddress>];
type Refused = [ClientKind, string, RegExp];

/** What every kind accepts, and what it reads from it. */
const ACCEPTED: Accepted[] = [
  ['rtorrent', 'scgi://127.0.0.1:5000', { scheme: 'scgi', socket: { kind: 'tcp', host: '127.0.0.1', port: 5000 } }],
  // Underscores: docker-compose and LAN names have them; this one used to pass the editor and fail on save.
  ['rtorrent', 'scgi://my_host:5000', { socket: { kind: 'tcp', host: 'my_host', port: 5000 }, url: 'scgi://my_host:5000' }],
  ['rtorrent', 'SCGI://Box.Example.com:05000/', { scheme: 'scgi', socket: { kind: 'tcp', host: 'Box.Example.com', port: 5000 } }],
  ['rtorrent', 'scgi://[::1]:5000', { socket: { kind: 'tcp', host: '::1', port: 5000 } }],
  ['rtorrent', 'scgi://[2001:db8::7:1]:65535', { socket: { kind: 'tcp', host: '2001:db8::7:1', port: 65535 } }],
  ['rtorrent', 'scgi:///home/me/.rtorrent.sock', { socket: { kind: 'unix', path: '/home/me/.rtorrent.sock' }, url: 'scgi:///home/me/.rtorrent.sock' }],
  ['rtorrent', 'scgi:///home/me/My%20Files/rt%23.sock', { socket: { kind: 'unix', path: '/home/me/My Files/rt#.sock' } }],
  ['rtorrent', 'https://box.example.com/RPC2', { scheme: 'https', socket: { kind: 'tcp', host: 'box.example.com', port: 443 }, path: '/RPC2' }],
  [
    'rtorrent',
    'http://me:p%40ss@seed_box:8080/RPC2',
    { socket: { kind: 'tcp', host: 'seed_box', port: 8080 }, url: 'http://seed_box:8080/RPC2', username: 'me', password: 'p@ss' },
  ],
  ['deluge', 'deluge://box.example.com', { scheme: 'deluge', socket: { kind: 'tcp', host: 'box.example.com', port: 58846 }, path: '' }],
  ['deluge', 'deluge://my_host:58846', { socket: { kind: 'tcp', host: 'my_host', port: 58846 } }],
  ['deluge', 'deluge://daemon:s3cret@[::1]:58847/', { socket: { kind: 'tcp', host: '::1', port: 58847 }, url: 'deluge://[::1]:58847/', username: 'daemon', password: 's3cret' }],
  ['qbittorrent', 'http://box:8080/qbt', { socket: { kind: 'tcp', host: 'box', port: 8080 }, path: '/qbt' }],
  ['qbittorrent', 'https://[::ffff:192.0.2.1]/', { socket: { kind: 'tcp', host: '::ffff:192.0.2.1', port: 443 }, path: '/' }],
  ['qbittorrent', 'http://ann@host:8080', { url: 'http://host:8080', username: 'ann' }],
  ['transmission', 'https://box/transmission/rpc', { socket: { kind: 'tcp', host: 'box', port: 443 }, path: '/transmission/rpc' }],
  ['transmission', 'http://192.0.2.10:9091/transmission/rpc', { socket: { kind: 'tcp', host: '192.0.2.10', port: 9091 } }],
];

/** What every kind refuses, and the sentence that says why. */
const REFUSED: Refused[] = [
  ['rtorrent', 'deluge://host', /^rTorrent addresses look like scgi:\/\/host:5000, scgi:\/\/\/home\/me\/\.rtorrent\.sock or https:\/\/host\/RPC2; "deluge:\/\/host" is not one\.$/],
  ['qbittorrent', 'scgi://host:5000', /^qBittorrent addresses look like http:\/\/host:8080;/],
  ['qbittorrent', 'ftp://box', /^qBittorrent addresses look like/],
  ['transmission', 'host:9091', /^Transmission addresses look like http:\/\/host:9091\/transmission\/rpc;/],
  ['deluge', 'http://host:8112', /^Deluge addresses look like deluge:\/\/host:58846 \(the daemon, not the web UI\); "http:\/\/host:8112" is not one\.$/],
  ['rtorrent', 'scgi://host', /^An SCGI address is scgi:\/\/host:port or scgi:\/\/\/path\/to\/rtorrent\.sock; "scgi:\/\/host" has no port\.$/],
  ['rtorrent', 'scgi://host:0', /^Port 0 is out of range \(1 to 65535\)\.$/],
  ['rtorrent', 'scgi://host:65536', /^Port 65536 is out of range/],
  ['transmission', 'http://host:0/transmission/rpc', /^Port 0 is out of range/],
  ['deluge', 'deluge://host:99999', /^Port 99999 is out of range/],
  ['rtorrent', 'scgi://host:50x0', /has no port number after its ":"/],
  ['qbittorrent', 'http://host:/', /has no port number after its ":"/],
  ['rtorrent', 'scgi:///', /^An SCGI socket address needs the socket's path/],
  ['rtorrent', 'scgi:///tmp/rt.sock?x', /written with %3F or %23/],
  ['rtorrent', 'scgi:///tmp/rt%zz.sock', /^The socket path in the address has a malformed %-escape/],
  ['rtorrent', 'scgi:///tmp/rt%00.sock', /^The socket path has a control character/],
  ['rtorrent', 'scgi://user:secret@host:5000', /^SCGI has no user names or passwords/],
  ['rtorrent', 'scgi://host:5000/RPC2', /^An SCGI address has no path/],
  ['deluge', 'deluge://host:58846/json', /^A Deluge daemon address has no path: deluge:\/\/host:58846 \(the daemon, not the web UI\)\.$/],
  ['transmission', 'http://host/rpc?x=1', /^Transmission addresses have no "\?" or "#" part/],
  ['qbittorrent', 'http://host:8080/#x', /^qBittorrent addresses have no "\?" or "#" part/],
  ['rtorrent', 'scgi://::1:5000', /^An IPv6 address goes in brackets: scgi:\/\/\[::1\]:port\.$/],
  ['qbittorrent', 'http://[::1:8080', /no valid IPv6 address in its brackets/],
  ['qbittorrent', 'http://[bad/', /no valid IPv6 address in its brackets/],
  ['qbittorrent', 'http://[fe80::1%25eth0]:8080', /no valid IPv6 address in its brackets/],
  ['deluge', 'deluge://[1:2:3:4:5:6:7:8:9]', /no valid IPv6 address in its brackets/],
  ['transmission', 'http://bad host/transmission/rpc', /^"bad host" is not a host name/],
  ['qbittorrent', 'http://ho%73t:8080', /^"ho%73t" is not a host name/],
  ['qbittorrent', 'http://127.1:8080', /^"127\.1" is not a full IPv4 address/],
  ['qbittorrent', 'http://999.1.1.1', /^"999\.1\.1\.1" is not a full IPv4 address/],
  ['qbittorrent', 'http:///qbt', /has no host name/],
  ['deluge', 'deluge://user:pw@:58846', /has no host name/],
  ['rtorrent', 'https://user:12/ss@box/RPC2', /has an "@" after its host: a "\/", "\?" or "#" in a user name or password is written %2F, %3F or %23\.$/],
  ['rtorrent', 'https://box\\RPC2', /has a "\\" in it/],
  ['qbittorrent', 'http://user:p%zz@host', /^The password in the address has a malformed %-escape/],
  ['transmission', 'http://bo\tx/transmission/rpc', /^The address has a control character/],
];

describe('the daemon catalogue', () => {
  it('has one descriptor per client kind, each with a name, schemes and examples of its own kind', () => {
    expect(Object.keys(DAEMONS).sort()).toEqual([...CLIENT_KINDS].sort());
    for (const kind of CLIENT_KINDS) {
      const daemon = DAEMONS[kind];
      expect(daemon.kind).toBe(kind);
      expect(daemonName(kind)).toBe(daemon.name);
      expect(daemon.examples.length).toBeGreaterThan(0);
      // Every example the editor and the help show is one the catalogue accepts.
      for (const example of daemon.examples) expect(checkDaemonUrl(kind, example)).toMatchObject({ ok: true });
    }
    expect(examplesText('rtorrent')).toBe('scgi://host:5000, scgi:///home/me/.rtorrent.sock or https://host/RPC2');
  });

  it('infers the kind only from a scheme that one kind alone uses', () => {
    expect(kindFromUrl('scgi:///x.sock')).toBe('rtorrent');
    expect(kindFromUrl(' DELUGE://host')).toBe('deluge');
    expect(kindFromUrl('https://host/RPC2')).toBeUndefined();
    expect(kindFromUrl('host:5000')).toBeUndefined();
    expect(schemesThatNameTheirKind()).toEqual(['scgi://', 'deluge://']);
  });

  it.each(ACCEPTED)('%s accepts %s', (kind, url, expected) => {
    const check = checkDaemonUrl(kind, url);
    expect(check).toMatchObject({ ok: true, address: { kind, ...expected } });
  });

  it.each(REFUSED)('%s refuses %s with one clear sentence', (kind, url, message) => {
    const check = checkDaemonUrl(kind, url);
    expect(check.ok).toBe(false);
    const text = check.ok ? '' : check.message;
    expect(text).toMatch(message);
    expect(text).toMatch(/^[^\n]+\.\)?$/);
    expect(text).not.toMatch(/secret|12\/ss|p%zz/);
    const error = errorOf(() => parseDaemonUrl(kind, url));
    expect(error).toMatchObject({ code: 'invalid-argument', message: text });
  });

  it('asks for an address when there is none', () => {
    expect(checkDaemonUrl('deluge', '  ')).toEqual({ ok: false, message: 'The address is required: Deluge addresses look like deluge://host:58846 (the daemon, not the web UI).' });
  });
});

describe('the editor, the registry and the CLI read addresses alike', () => {
  const rows: [ClientKind, string, string | undefined][] = [
    ...ACCEPTED.map(([kind, url]): [ClientKind, string, undefined] => [kind, url, undefined]),
    ...REFUSED.map(([kind, url]): [ClientKind, string, string] => {
      const check = checkDaemonUrl(kind, url);
      return [kind, url, check.ok ? 'accepted' : check.message];
    }),
  ];

  it.each(rows)('%s %s', async (kind, url, refusal) => {
    // The editor's inline check.
    expect(validateForm({ ...emptyForm(), name: 'Box', kind, url }).url).toBe(refusal);

    // The registry's check before it saves.
    const registry = new SeedboxRegistry({
      config: new ConfigFile({ path: join(tempDir('catalogue'), 'seedbox-remote.json') }),
      secrets: new MemorySecretStore({ unavailableReason: 'tests' }),
    });
    if (refusal === undefined) {
      await expect(registry.add({ name: 'Box', kind, url })).resolves.toMatchObject({ kind });
    } else {
      expect(await rejectionOf(registry.add({ name: 'Box', kind, url }))).toMatchObject({ code: 'invalid-argument', message: refusal });
      expect(await registry.list()).toEqual([]);
    }

    // The CLI's --url, up to the point where it would connect: adding a magnet that is not one
    // fails (exit 8) before the client's first call, so nothing is dialled.
    let stderr = '';
    const code = await runCli(['--client', kind, '--url', url, 'add', 'magnet:?xt=nothing'], { stdout: () => undefined, stderr: (text) => (stderr += text), env: {} });
    if (refusal === undefined) {
      expect(code).toBe(8);
    } else {
      expect({ code, stderr }).toEqual({ code: 2, stderr: `seedbox: ${refusal}\n` });
    }
  });
});
