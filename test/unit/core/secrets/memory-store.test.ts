import { describe, expect, it } from 'vitest';
import { SECRET_PURPOSES, type SecretPurpose } from '../../../../electron/shared/seedbox';
import { MemorySecretStore, secretAccount } from '../../../../electron/core/secrets/memory-store';
import { classifyKeychainFailure, redact } from '../../../../electron/core/secrets/keyring-store';
import { openSecretStore, unavailableReason } from '../../../../electron/core/secrets/open-secret-store';
import { createTranslator, type Locale } from '../../../../electron/shared/i18n';
import { keychainUnavailableText, type KeychainUnavailable } from '../../../../electron/shared/keychain';
import { errorOf, rejectionOf } from '../../../helpers/errors';

const REASON = 'No keychain here (test).';

describe('MemorySecretStore', () => {
  it('is a memory store that says why', () => {
    const store = new MemorySecretStore({ unavailableReason: REASON });
    expect(store.kind).toBe('memory');
    expect(store.unavailableReason).toBe(REASON);
  });

  it('sets, reads, replaces and deletes one secret per seedbox and purpose', async () => {
    const store = new MemorySecretStore({ unavailableReason: REASON });
    expect(await store.get('box-a', 'daemon-password')).toBeUndefined();
    expect(await store.has('box-a', 'daemon-password')).toBe(false);

    await store.set('box-a', 'daemon-password', 'first');
    await store.set('box-a', 'ssh-secret', 'ssh');
    await store.set('box-b', 'daemon-password', 'other box');
    expect(await store.get('box-a', 'daemon-password')).toBe('first');
    expect(await store.has('box-a', 'daemon-password')).toBe(true);

    await store.set('box-a', 'daemon-password', 'replaced');
    expect(await store.get('box-a', 'daemon-password')).toBe('replaced');
    expect(await store.get('box-a', 'ssh-secret')).toBe('ssh');
    expect(await store.get('box-b', 'daemon-password')).toBe('other box');
    expect(await store.has('box-a', 'proxy-password')).toBe(false);

    await store.delete('box-a', 'daemon-password');
    expect(await store.get('box-a', 'daemon-password')).toBeUndefined();
    expect(await store.has('box-a', 'daemon-password')).toBe(false);
    await store.delete('box-a', 'daemon-password'); // deleting nothing is fine
    expect(await store.get('box-a', 'ssh-secret')).toBe('ssh');
  });

  it('keeps an empty secret apart from no secret, and unicode and long secrets intact', async () => {
    const store = new MemorySecretStore({ unavailableReason: REASON });
    const long = 'λ🔑'.repeat(50_000);
    await store.set('box', 'daemon-password', '');
    await store.set('box', 'proxy-password', long);
    expect(await store.has('box', 'daemon-password')).toBe(true);
    expect(await store.get('box', 'daemon-password')).toBe('');
    expect(await store.get('box', 'proxy-password')).toBe(long);
  });

  it('deleteAll removes every purpose of that seedbox only, and tolerates missing ones', async () => {
    const store = new MemorySecretStore({ unavailableReason: REASON });
    await store.set('box-a', 'daemon-password', 'a1');
    await store.set('box-a', 'proxy-password', 'a3');
    await store.set('box-b', 'ssh-secret', 'b2');
    await store.deleteAll('box-a');
    for (const purpose of SECRET_PURPOSES) expect(await store.has('box-a', purpose)).toBe(false);
    expect(await store.get('box-b', 'ssh-secret')).toBe('b2');
    await store.deleteAll('box-a');
    await store.deleteAll('never-seen');
  });

  it('keeps each instance to itself (nothing shared, nothing persisted)', async () => {
    const first = new MemorySecretStore({ unavailableReason: REASON });
    await first.set('box', 'daemon-password', 'only here');
    const second = new MemorySecretStore({ unavailableReason: REASON });
    expect(await second.has('box', 'daemon-password')).toBe(false);
  });

  it('rejects a missing seedbox id, an unknown purpose and a non-text secret', async () => {
    const store = new MemorySecretStore({ unavailableReason: REASON });
    expect((await rejectionOf(store.get('', 'daemon-password'))).code).toBe('invalid-argument');
    const unknown = await rejectionOf(store.set('box', 'api-key' as SecretPurpose, 'x'));
    expect(unknown.code).toBe('invalid-argument');
    expect(unknown.message).toContain('api-key');
    const notText = await rejectionOf(store.set('box', 'daemon-password', 42 as unknown as string));
    expect(notText.code).toBe('invalid-argument');
    expect(await store.has('box', 'daemon-password')).toBe(false);
  });
});

describe('secretAccount', () => {
  it('names an entry `${seedboxId}:${purpose}`', () => {
    expect(secretAccount('home-abc123', 'ssh-secret')).toBe('home-abc123:ssh-secret');
    expect(errorOf(() => secretAccount('x'.repeat(201), 'ssh-secret')).code).toBe('invalid-argument');
  });
});

describe('keychain failures', () => {
  // Messages @napi-rs/keyring 2.1 gave here (Linux, gnome-keyring 42) in each situation.
  it.each([
    ['Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory', 'absent'],
    [
      'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
      'absent',
    ],
    ["Couldn't access platform storage: Secret Service: no result found", 'absent'],
    ['Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', 'absent'],
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'locked'],
    ["Attribute 'password' is longer than the platform limit of 2560 chars", 'too-long'],
    ['Entry is matched by 2 credentials: [...]: ambiguous', 'ambiguous'],
    ['something nobody expected', 'other'],
  ] as const)('sorts %j as %s', (message, failure) => {
    expect(classifyKeychainFailure(message)).toBe(failure);
  });

  it('sorts the probe failures into codes, worded for the user in their language', () => {
    const noBus = unavailableReason('Platform failure: DBus error: Failed to connect to socket /x: No such file');
    expect(noBus).toEqual({ code: process.platform === 'linux' ? 'absent-linux' : 'absent' });
    expect(new MemorySecretStore({ unavailable: noBus }).unavailableReason).toMatch(/^No keychain is available.*passwords are kept in memory for this run only; you'll be asked again next time\.$/);
    expect(unavailableReason('Secret Service: unlock prompt was dismissed')).toEqual({ code: 'locked' });
    expect(unavailableReason('odd')).toEqual({ code: 'failed', detail: 'odd' });
    const say = (reason: KeychainUnavailable, locale: Locale) => keychainUnavailableText(reason, createTranslator(locale), locale);
    expect(say({ code: 'locked' }, 'en')).toBe("The keychain is locked and was not unlocked: passwords are kept in memory for this run only; you'll be asked again next time.");
    expect(say({ code: 'locked' }, 'de')).toBe('Der Schlüsselbund ist gesperrt und wurde nicht entsperrt: Passwörter bleiben nur für diese Sitzung im Arbeitsspeicher; beim nächsten Start werden Sie erneut gefragt.');
    expect(say({ code: 'timeout', seconds: 1.5 }, 'de')).toMatch(/^Der Schlüsselbund hat nicht innerhalb von 1,5 s geantwortet: /);
    expect(say({ code: 'absent-linux' }, 'zh-CN')).toBe('没有可用的钥匙串（此 Linux 会话中没有 Secret Service）：密码仅在本次运行期间保存在内存中；下次启动时会再次询问。');
    // The OS's own message is carried as it is, inside the translated sentence.
    expect(say({ code: 'failed', detail: 'odd' }, 'de')).toContain('(odd)');
    expect(say({ code: 'given', detail: 'Keychain turned off with --no-keychain.' }, 'de')).toBe('Keychain turned off with --no-keychain.');
  });

  it('takes the secret out of library text', () => {
    expect(redact('could not store hunter2 in hunter2', 'hunter2')).toBe('could not store [secret] in [secret]');
    expect(redact('nothing to hide', '')).toBe('nothing to hide');
  });
});

describe('openSecretStore', () => {
  it('gives the memory store with the reason it is told, without touching the keychain', async () => {
    const store = await openSecretStore({ forceMemory: 'Keychain turned off with --no-keychain.' });
    expect(store.kind).toBe('memory');
    expect(store.unavailableReason).toBe('Keychain turned off with --no-keychain.');
  });
});
