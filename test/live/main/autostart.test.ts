import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autostartEntryPath, setXdgAutostart } from '../../../electron/main/autostart';
import { tempDir } from '../../helpers/processes';

// "Start at login" on Linux writes an XDG autostart entry. Whether its Exec line is quoted
// right is decided by the desktop's launcher, not by us: GLib's (gio launch) runs it here, as
// GNOME's session does at login, from a path full of characters the Desktop Entry spec reserves.

describe('the XDG autostart entry', () => {
  it('runs exactly the program it names when GLib launches it, whatever the path holds', async () => {
    const root = tempDir('autostart');
    // Spaces, quotes, a dollar, a backtick, a backslash, a semicolon, a tilde, parentheses, non-ASCII.
    const folder = join(root, `Apps & "Things" $HOME \`id\` back\\slash; ~x (ü)`);
    mkdirSync(folder, { recursive: true });
    const program = join(folder, 'seedbox remote');
    const record = join(root, 'launched.txt');
    writeFileSync(program, `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${record}'\n`);
    chmodSync(program, 0o755);
    const env = { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'config') };

    await setXdgAutostart({ enabled: true, env, name: 'Seedbox Remote', command: [program, '--from "login"', '100%'] });
    const entry = autostartEntryPath(env);
    expect(entry).toBe(join(root, 'config/autostart/seedbox-remote.desktop'));
    const launched = spawnSync('gio', ['launch', entry], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ...env } });
    expect(launched.status, `gio launch failed: ${launched.stderr}`).toBe(0);
    const deadline = Date.now() + 5000;
    while (!existsSync(record) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(record, 'utf8')).toBe(`${program}\n--from "login"\n100%\n`);

    await setXdgAutostart({ enabled: false, env, name: 'Seedbox Remote', command: [program] });
    expect(existsSync(entry)).toBe(false);
    // Removing what is not there is fine.
    await setXdgAutostart({ enabled: false, env, name: 'Seedbox Remote', command: [program] });
  });

  it('refuses a program path it cannot spell in a desktop entry', async () => {
    const env = { HOME: tempDir('autostart-home') };
    await expect(setXdgAutostart({ enabled: true, env, name: 'Seedbox Remote', command: ['/opt/a\nb'] })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(setXdgAutostart({ enabled: true, env, name: 'Seedbox Remote', command: ['/opt/100%/app'] })).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(existsSync(autostartEntryPath(env))).toBe(false);
  });
});
