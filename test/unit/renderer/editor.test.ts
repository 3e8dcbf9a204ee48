import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { InvokeArgs, InvokeChannel, InvokeResult } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import { setLocale } from '../../../renderer/src/i18n';
import SeedboxEditor from '../../../renderer/src/components/editor/SeedboxEditor.vue';
import TestReport from '../../../renderer/src/components/editor/TestReport.vue';
import { checkForm, emptyForm, fingerprintToHex, formFromSeedbox, toNewSeedbox, urlError, validateForm } from '../../../renderer/src/components/editor/editor-form';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { callsTo } from './api-mock';

const callMock = vi.mocked(call);
const PRESENTED = Array.from({ length: 32 }, (_, index) => index.toString(16).padStart(2, '0').toUpperCase()).join(':');
const PRESENTED_HEX = PRESENTED.replace(/:/g, '').toLowerCase();
const HOST_KEY_HEX = 'e'.repeat(64);
/** What the core says when there is no keychain (open-secret-store.ts): a whole sentence. */
const MEMORY_REASON = "No keychain is available (no Secret Service on this Linux session): passwords are kept in memory for this run only; you'll be asked again next time.";

function savedBox(): SeedboxView {
  return {
    id: 'box-a', name: 'Box A', kind: 'qbittorrent', url: 'https://box.example:8080', username: 'me', tlsPinSha256: null, proxy: null,
    sshTunnel: null, pathMapping: [], sftpPathMapping: [], pollIntervalMs: 3000, labelStyle: 'rutorrent',
    secrets: { 'daemon-password': true, 'ssh-secret': false, 'proxy-password': false },
  };
}

type Report = InvokeResult<'seedboxes:test'>;
const untrusted: Report = {
  ok: false,
  steps: [{ step: 'tls', ok: false, message: 'The certificate presented by box.example:8080 is not trusted: self-signed certificate.' }],
  info: null,
  error: {
    code: 'tls-untrusted',
    message: 'not trusted',
    details: { presented: PRESENTED, subject: 'CN=box.example', issuer: 'CN=box.example', validFrom: 'Jan 1 2026', validTo: 'Jan 1 2027', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
  },
  torrentCount: null,
};
const passed: Report = {
  ok: true,
  steps: [
    { step: 'address', ok: true, message: 'qbittorrent at https://box.example:8080' },
    { step: 'login', ok: true, message: 'Connected to qbittorrent v5.0.4 (webui-v2.11).' },
    { step: 'list', ok: true, message: '12 torrent(s).' },
  ],
  info: {
    kind: 'qbittorrent', version: 'v5.0.4', protocol: 'webui-v2.11',
    capabilities: { labels: true, multipleLabels: true, queue: true, deleteData: true, moveStorage: true, alternativeSpeed: true, pushEvents: false, freeSpace: true, perTorrentSpeedLimits: true, filePriorities: ['skip', 'normal', 'high'], addFromUrl: true },
  },
  error: null,
  torrentCount: 12,
};

function mockService(tests: Report[], secretStore: 'keychain' | 'memory' = 'keychain'): void {
  // One stand-in for every channel: its answers are checked by what the component shows, not by the generic signature.
  callMock.mockImplementation((async (channel: InvokeChannel, args: unknown) => {
    switch (channel) {
      case 'app:info':
        return { version: '0.1.0', platform: 'linux', secretStore: { kind: secretStore, unavailable: secretStore === 'memory' ? ({ code: 'absent-linux' } as const) : null } };
      case 'seedboxes:test':
        return tests.shift() ?? passed;
      case 'seedboxes:add':
        return { ...savedBox(), ...(args as InvokeArgs<'seedboxes:add'>).seedbox, id: 'new-box', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false } };
      case 'seedboxes:update':
      case 'seedboxes:pinCertificate':
        return { ...savedBox(), tlsPinSha256: channel === 'seedboxes:pinCertificate' ? (args as { sha256: string }).sha256 : null };
      default:
        return null;
    }
  }) as typeof call);
}

beforeEach(() => {
  setActivePinia(createPinia());
  callMock.mockReset();
  useSeedboxesStore().setList([savedBox()]);
});

async function mountEditor(seedboxId: string | null) {
  const wrapper = mount(SeedboxEditor, { props: { open: true, seedboxId }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe('editor validation', () => {
  it('checks the URL scheme for each client kind and port ranges', () => {
    expect(urlError('rtorrent', 'scgi://host:5000')).toBeUndefined();
    expect(urlError('rtorrent', 'scgi:///home/me/.rtorrent.sock')).toBeUndefined();
    expect(urlError('rtorrent', 'https://host/RPC2')).toBeUndefined();
    expect(urlError('rtorrent', 'scgi://host:70000')).toMatch(/out of range/);
    expect(urlError('rtorrent', 'scgi://host')).toMatch(/scgi:\/\/host:port/);
    expect(urlError('deluge', 'deluge://host:58846')).toBeUndefined();
    expect(urlError('deluge', 'http://host:8112')).toMatch(/deluge:\/\/host:58846/);
    expect(urlError('qbittorrent', 'https://host:8080')).toBeUndefined();
    expect(urlError('qbittorrent', 'scgi://host:5000')).toMatch(/http:\/\/host:8080/);
    expect(urlError('transmission', 'http://host:0/transmission/rpc')).toMatch(/out of range/);
    expect(urlError('transmission', '')).toMatch(/required/);
  });

  it('reports each invalid field and passes a complete form through the shared schema', () => {
    const form = { ...emptyForm(), proxyKind: 'socks5' as const, proxyHost: '', proxyPort: '99999', sshEnabled: true, sshUsername: '', sshRemoteKind: 'unix' as const, sshRemotePath: 'relative' };
    const errors = validateForm(form);
    expect(Object.keys(errors).sort()).toEqual(['name', 'proxyHost', 'proxyPort', 'sshHost', 'sshRemotePath', 'sshUsername', 'url']);
    const good = { ...emptyForm(), name: ' Home ', url: 'scgi://127.0.0.1:5000', pollSeconds: '2.5', sshEnabled: true, sshHost: 'box', sshUsername: 'me', sshAuth: 'key' as const, sshKeyPath: '/k' };
    const result = checkForm(good);
    expect(result.ok).toBe(true);
    expect(result.ok && result.seedbox).toMatchObject({ name: 'Home', pollIntervalMs: 2500, sshTunnel: { host: 'box', port: 22, auth: 'key', privateKeyPath: '/k', remote: { kind: 'tcp', host: '127.0.0.1', port: 5000 } } });
    expect(toNewSeedbox({ ...good, sshEnabled: false }).sshTunnel).toBeNull();
  });

  it('gives back exactly the saved settings for an untouched form (so a Save moves no endpoint and keeps the saved secrets)', () => {
    const boxes: SeedboxView[] = [
      savedBox(),
      { ...savedBox(), kind: 'deluge', url: 'deluge://box:58846', tlsPinSha256: 'ab'.repeat(32) },
      {
        ...savedBox(), kind: 'rtorrent', url: 'scgi://127.0.0.1:5000', proxy: { kind: 'socks5', host: 'proxy', port: 1080, username: 'p' },
        sshTunnel: { host: 'ssh.example', port: 2222, username: 'ann', auth: 'key', privateKeyPath: '/home/ann/.ssh/id', hostKeySha256: HOST_KEY_HEX, remote: { kind: 'unix', path: '/home/ann/rt.sock' } },
      },
      { ...savedBox(), sshTunnel: { host: 'ssh', port: 22, username: 'ann', auth: 'agent', privateKeyPath: null, hostKeySha256: null, remote: { kind: 'tcp', host: '127.0.0.1', port: 8080 } } },
      // SSH for files only, with an SFTP path mapping (one with "=" on its SFTP side).
      {
        ...savedBox(), sshTunnel: { host: 'ssh', port: 22, username: 'ann', auth: 'password', privateKeyPath: null, hostKeySha256: HOST_KEY_HEX, remote: null },
        sftpPathMapping: [{ daemon: '/home/ann/downloads', sftp: 'downloads' }, { daemon: '/srv', sftp: '/data/a=b' }],
      },
    ];
    for (const box of boxes) {
      const { id: _id, secrets: _secrets, ...settings } = box;
      expect(checkForm(formFromSeedbox(box))).toEqual({ ok: true, seedbox: settings });
    }
  });

  it('reads one DAEMON=SFTP path mapping per line, blank lines aside, and names the bad line', () => {
    const form = { ...emptyForm(), name: 'Box', url: 'scgi://127.0.0.1:5000', sshEnabled: true, sshHost: 'box', sshUsername: 'me', sshRemoteKind: 'none' as const };
    const result = checkForm({ ...form, sftpPaths: '/home/me/downloads = downloads\n\n/srv=/data\n' });
    expect(result.ok && result.seedbox).toMatchObject({ sshTunnel: { remote: null }, sftpPathMapping: [{ daemon: '/home/me/downloads', sftp: 'downloads' }, { daemon: '/srv', sftp: '/data' }] });
    expect(validateForm({ ...form, sftpPaths: '/srv=/data\ndownloads' }).sftpPaths).toBe('"downloads" is not DAEMON-PATH=SFTP-PATH (for example /home/me/downloads=downloads).');
    expect(validateForm({ ...form, sftpPaths: 'srv=/data' }).sftpPaths).toBe('"srv=/data": A daemon path starts with "/".');
    expect(validateForm({ ...form, sftpPaths: '/srv=' }).sftpPaths).toBe('"/srv=": Give the path as SFTP shows it.');
  });

  it('turns a displayed fingerprint into a pin', () => {
    expect(fingerprintToHex(PRESENTED)).toBe(PRESENTED_HEX);
    expect(fingerprintToHex('AB:CD')).toBeNull();
  });
});

describe('TestReport', () => {
  it('lists which steps worked and which failed, and the daemon version and torrent count', () => {
    const failed: Report = { ...passed, ok: false, info: null, torrentCount: null, steps: [passed.steps[0]!, { step: 'login', ok: false, message: 'Wrong user name or password.' }], error: { code: 'auth-failed', message: 'Wrong user name or password.', details: {} } };
    const bad = mount(TestReport, { props: { report: failed } });
    expect(bad.find('[data-step="address"]').classes()).toContain('passed');
    expect(bad.find('[data-step="login"]').classes()).toContain('failed');
    expect(bad.find('[data-step="login"]').text()).toContain('Wrong user name or password.');
    expect(bad.find('[data-testid="test-summary"]').exists()).toBe(false);
    const good = mount(TestReport, { props: { report: passed } });
    expect(good.findAll('li.passed')).toHaveLength(3);
    expect(good.find('[data-testid="test-summary"]').text()).toMatch(/qBittorrent v5\.0\.4 \(webui-v2\.11\)\s*· 12 torrents/);
  });

  it('shows both fingerprints on a pin mismatch', () => {
    const mismatch: Report = { ...untrusted, error: { ...untrusted.error!, code: 'tls-pin-mismatch', details: { presented: PRESENTED, expected: 'AA:BB' } } };
    const wrapper = mount(TestReport, { props: { report: mismatch } });
    expect(wrapper.find('[data-testid="expected"]').text()).toBe('AA:BB');
    expect(wrapper.find('[data-testid="presented"]').text()).toBe(PRESENTED);
    expect(wrapper.text()).toContain('Trust the new certificate');
  });
});

describe('SeedboxEditor', () => {
  it('never pre-fills a stored password and saves only what changed after the settings', async () => {
    mockService([]);
    const wrapper = await mountEditor('box-a');
    expect(wrapper.find('[data-testid="ed-password-state"]').text()).toBe('A password is set');
    expect(wrapper.find('input[type="password"]').exists()).toBe(false);
    await wrapper.findAll('button').find((button) => button.text() === 'Replace')!.trigger('click');
    const password = wrapper.find('input#ed-password');
    expect((password.element as HTMLInputElement).value).toBe('');
    await password.setValue('s3cret');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:update')[0]).toMatchObject({ id: 'box-a', changes: { name: 'Box A', kind: 'qbittorrent', pollIntervalMs: 3000 } });
    expect(callsTo(callMock, 'seedboxes:setSecret')).toEqual([{ id: 'box-a', purpose: 'daemon-password', secret: 's3cret' }]);
    const order = callMock.mock.calls.map(([channel]) => channel);
    expect(order.indexOf('seedboxes:update')).toBeLessThan(order.indexOf('seedboxes:setSecret'));
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();
  });

  it('clears a stored password on save when asked', async () => {
    mockService([]);
    const wrapper = await mountEditor('box-a');
    await wrapper.findAll('button').find((button) => button.text() === 'Clear')!.trigger('click');
    expect(wrapper.find('[data-testid="ed-password-state"]').text()).toContain('cleared');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:clearSecret')).toEqual([{ id: 'box-a', purpose: 'daemon-password' }]);
    wrapper.unmount();
  });

  it('shows errors inline and sends nothing while the form is invalid', async () => {
    mockService([]);
    const wrapper = await mountEditor(null);
    await wrapper.find('#ed-kind').setValue('deluge');
    await wrapper.find('#ed-url').setValue('http://host:8112');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('Give this seedbox a name.');
    expect(wrapper.text()).toContain('the daemon, not the web UI');
    expect(wrapper.find('#ed-url').attributes('aria-invalid')).toBe('true');
    expect(callsTo(callMock, 'seedboxes:add')).toHaveLength(0);
    wrapper.unmount();
  });

  it('tests an unsaved box, shows the untrusted certificate and pins it into the form', async () => {
    mockService([untrusted, passed]);
    const wrapper = await mountEditor(null);
    await wrapper.find('#ed-kind').setValue('qbittorrent');
    await wrapper.find('#ed-name').setValue('New box');
    await wrapper.find('#ed-url').setValue('https://box.example:8080');
    await wrapper.find('#ed-password').setValue('typed');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:test')[0]).toMatchObject({ seedbox: { url: 'https://box.example:8080', tlsPinSha256: null }, secrets: { 'daemon-password': 'typed' } });
    const certificate = wrapper.find('[data-testid="certificate"]');
    expect(certificate.text()).toContain(PRESENTED);
    expect(certificate.text()).toContain('CN=box.example');
    expect(certificate.text()).toContain('Jan 1 2026 to Jan 1 2027');
    await certificate.findAll('button').find((button) => button.text() === 'Trust this certificate')!.trigger('click');
    await flushPromises();
    // Not saved yet: no pinCertificate call, the pin goes into the form and the test runs again with it.
    expect(callsTo(callMock, 'seedboxes:pinCertificate')).toHaveLength(0);
    expect(callsTo(callMock, 'seedboxes:test')[1]!.seedbox.tlsPinSha256).toBe(PRESENTED_HEX);
    expect(wrapper.find('[data-testid="test-summary"]').text()).toContain('12 torrents');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:add')[0]!.seedbox.tlsPinSha256).toBe(PRESENTED_HEX);
    expect(callsTo(callMock, 'seedboxes:setSecret')).toEqual([{ id: 'new-box', purpose: 'daemon-password', secret: 'typed' }]);
    wrapper.unmount();
  });

  it('pins the certificate of a saved box through the service', async () => {
    mockService([untrusted, passed]);
    const wrapper = await mountEditor('box-a');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:test')[0]).toMatchObject({ id: 'box-a', secrets: {} });
    await wrapper.findAll('button').find((button) => button.text() === 'Trust this certificate')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:pinCertificate')).toEqual([{ id: 'box-a', sha256: PRESENTED_HEX }]);
    expect(wrapper.find('[data-testid="tls-pin"]').text()).toBe(PRESENTED);
    wrapper.unmount();
  });

  it('asks for the password again when the saved one was refused for changed settings', async () => {
    const refused: Report = {
      ok: false,
      steps: [{ step: 'login', ok: false, message: 'The password saved for "Box A" was saved for https://box.example:8080, and the address … changed since: type the password again.' }],
      info: null,
      error: { code: 'auth-failed', message: 'The password saved for "Box A" …', details: { reason: 'endpoint-changed', purpose: 'daemon-password' } },
      torrentCount: null,
    };
    mockService([refused, passed]);
    const wrapper = await mountEditor('box-a');
    await wrapper.find('#ed-url').setValue('https://new.example:8080');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    // The field opens for typing, with the cursor in it, and the editor says why.
    const password = wrapper.find('input#ed-password');
    expect(password.exists()).toBe(true);
    expect(document.activeElement).toBe(password.element);
    expect(wrapper.text()).toContain('The saved password belongs to the settings it was saved with and is never sent elsewhere');
    await password.setValue('typed-again');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:test')[1]).toMatchObject({ id: 'box-a', seedbox: { url: 'https://new.example:8080' }, secrets: { 'daemon-password': 'typed-again' } });
    wrapper.unmount();
  });

  it('stays open and asks for the password when saving new settings dropped the saved one', async () => {
    mockService([]);
    const answer = callMock.getMockImplementation()!;
    callMock.mockImplementation((async (channel: InvokeChannel, args: never) =>
      channel === 'seedboxes:update'
        ? { ...savedBox(), url: 'https://new.example:8080', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false } }
        : answer(channel, args)) as typeof call);
    const wrapper = await mountEditor('box-a');
    await wrapper.find('#ed-url').setValue('https://new.example:8080');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(wrapper.text()).toContain('The old password was removed: it belonged to the old settings and is never sent elsewhere. Type it again and Save.');
    await wrapper.find('input#ed-password').setValue('for-the-new-address');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:setSecret')).toEqual([{ id: 'box-a', purpose: 'daemon-password', secret: 'for-the-new-address' }]);
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();
  });

  it('keeps a certificate seen with an edited address in the form, never on the saved box', async () => {
    mockService([untrusted, passed]);
    const wrapper = await mountEditor('box-a');
    await wrapper.find('#ed-url').setValue('https://elsewhere.example:8080');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    await wrapper.findAll('button').find((button) => button.text() === 'Trust this certificate')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:pinCertificate')).toHaveLength(0);
    expect(callsTo(callMock, 'seedboxes:test')[1]).toMatchObject({ id: 'box-a', seedbox: { url: 'https://elsewhere.example:8080', tlsPinSha256: PRESENTED_HEX } });
    wrapper.unmount();
  });

  it('offers to trust an unknown SSH host key', async () => {
    const unknownKey: Report = {
      ok: false,
      steps: [{ step: 'ssh', ok: false, message: 'The host key of the SSH server is not pinned yet.' }],
      info: null,
      error: { code: 'refused', message: 'not pinned', details: { reason: 'ssh-host-key-unknown', hostKeySha256: HOST_KEY_HEX, presented: 'SHA256:7u7u', algorithm: 'ssh-ed25519' } },
      torrentCount: null,
    };
    mockService([unknownKey, passed]);
    const wrapper = await mountEditor(null);
    await wrapper.find('#ed-name').setValue('Tunnel');
    await wrapper.find('#ed-url').setValue('scgi:///home/me/.rtorrent.sock');
    await wrapper.find('input[type="checkbox"]').setValue(true);
    await wrapper.find('#ed-ssh-host').setValue('box.example');
    await wrapper.find('#ed-ssh-user').setValue('me');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    const hostKey = wrapper.find('[data-testid="host-key"]');
    expect(hostKey.text()).toContain('SHA256:7u7u (ssh-ed25519)');
    await hostKey.find('button').trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:test')[1]!.seedbox.sshTunnel).toMatchObject({ hostKeySha256: HOST_KEY_HEX });
    wrapper.unmount();
  });

  it('saves SSH for files only with its path mapping, and shows a failed SFTP step of the Test', async () => {
    const missingPath: Report = {
      ...passed,
      ok: false,
      steps: [...passed.steps, { step: 'sftp', ok: false, message: 'The save path /srv/data does not exist over SFTP: set the path mapping for fetching.' }],
      error: { code: 'not-found', message: 'The save path /srv/data does not exist over SFTP: set the path mapping for fetching.', details: { reason: 'sftp-path-missing' } },
    };
    mockService([missingPath]);
    const wrapper = await mountEditor(null);
    await wrapper.find('#ed-name').setValue('Files');
    await wrapper.find('#ed-url').setValue('scgi://127.0.0.1:5000');
    await wrapper.find('input[type="checkbox"]').setValue(true);
    await wrapper.find('#ed-ssh-host').setValue('box.example');
    await wrapper.find('#ed-ssh-user').setValue('me');
    await wrapper.find('#ed-ssh-remote').setValue('none');
    expect(wrapper.find('#ed-ssh-remote-host').exists()).toBe(false);
    expect(wrapper.find('#ed-ssh-remote-path').exists()).toBe(false);
    expect(wrapper.find('#ed-sftp-paths-hint').text()).toContain('daemon path=SFTP path');
    await wrapper.find('#ed-sftp-paths').setValue('nonsense');
    await wrapper.find('#ed-sftp-paths').trigger('blur');
    expect(wrapper.text()).toContain('"nonsense" is not DAEMON-PATH=SFTP-PATH');
    expect(wrapper.find('#ed-sftp-paths').attributes('aria-invalid')).toBe('true');
    await wrapper.find('#ed-sftp-paths').setValue('/srv/data=data');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    const step = wrapper.find('[data-step="sftp"]');
    expect(step.classes()).toContain('failed');
    expect(step.text()).toContain('Files over SFTP');
    expect(step.text()).toContain('/srv/data does not exist over SFTP');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await wrapper.findAll('button').find((button) => button.text() === 'Save anyway')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:add')[0]!.seedbox).toMatchObject({ sshTunnel: { host: 'box.example', remote: null }, sftpPathMapping: [{ daemon: '/srv/data', sftp: 'data' }] });
    wrapper.unmount();
  });

  it('pins the host key of an untouched saved box through the service', async () => {
    const unknownKey: Report = {
      ok: false,
      steps: [{ step: 'ssh', ok: false, message: 'The host key of the SSH server is not pinned yet.' }],
      info: null,
      error: { code: 'refused', message: 'not pinned', details: { reason: 'ssh-host-key-unknown', hostKeySha256: HOST_KEY_HEX, presented: 'SHA256:7u7u', algorithm: 'ssh-ed25519' } },
      torrentCount: null,
    };
    const tunnelled: SeedboxView = {
      ...savedBox(), kind: 'rtorrent', url: 'scgi://127.0.0.1:5000', proxy: { kind: 'socks5', host: 'proxy', port: 1080, username: 'p' },
      sshTunnel: { host: 'ssh.example', port: 22, username: 'me', auth: 'agent', privateKeyPath: null, hostKeySha256: null, remote: { kind: 'unix', path: '/home/me/rt.sock' } },
    };
    useSeedboxesStore().setList([tunnelled]);
    mockService([unknownKey, passed]);
    const wrapper = await mountEditor('box-a');
    await wrapper.findAll('button').find((button) => button.text() === 'Test')!.trigger('click');
    await flushPromises();
    await wrapper.find('[data-testid="host-key"]').find('button').trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:pinHostKey')).toEqual([{ id: 'box-a', sha256: HOST_KEY_HEX }]);
    wrapper.unmount();
  });

  it('explains that passwords last for this run only without a keychain', async () => {
    mockService([], 'memory');
    const wrapper = await mountEditor(null);
    // Said once, as the core words it: not wrapped in a second sentence that repeats it.
    expect(wrapper.find('[data-testid="memory-only"]').text()).toBe(MEMORY_REASON);
    wrapper.unmount();
  });

  it("says why there is no keychain in the window's language, from the core's code", async () => {
    mockService([], 'memory');
    setLocale('de');
    try {
      const wrapper = await mountEditor(null);
      expect(wrapper.find('[data-testid="memory-only"]').text()).toBe('Kein Schlüsselbund verfügbar (kein Secret Service in dieser Linux-Sitzung): Passwörter bleiben nur für diese Sitzung im Arbeitsspeicher; beim nächsten Start werden Sie erneut gefragt.');
      wrapper.unmount();
    } finally {
      setLocale('en');
    }
  });

  it('removes a saved box only after confirmation', async () => {
    mockService([]);
    const wrapper = await mountEditor('box-a');
    await wrapper.findAll('button').find((button) => button.text() === 'Remove…')!.trigger('click');
    expect(callsTo(callMock, 'seedboxes:remove')).toHaveLength(0);
    await wrapper.find('[role="alertdialog"]').findAll('button').find((button) => button.text() === 'Remove')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:remove')).toEqual([{ id: 'box-a' }]);
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();
  });
});
