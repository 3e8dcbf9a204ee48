import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { SeedboxError } from '../shared/errors';

// "Start at login" on Linux. Electron's setLoginItemSettings works on macOS and Windows only
// (docs/api/app.md marks it _macOS_ _Windows_), so on Linux the app writes an XDG autostart
// entry itself: a desktop entry in $XDG_CONFIG_HOME/autostart, which every XDG desktop starts
// at login (XDG Autostart specification), and removes it when the user switches it off.

export const AUTOSTART_FILE_NAME = 'seedbox-remote.desktop';

/** $XDG_CONFIG_HOME/autostart/…, or ~/.config/… when it is unset or not absolute (the XDG base directory rule). */
export function autostartEntryPath(env: NodeJS.ProcessEnv): string {
  const configured = env['XDG_CONFIG_HOME'];
  if (configured && isAbsolute(configured)) return join(configured, 'autostart', AUTOSTART_FILE_NAME);
  const home = env['HOME'];
  if (!home || !isAbsolute(home)) throw new SeedboxError('unavailable', 'Start at login needs HOME or XDG_CONFIG_HOME to be set to an absolute path.', {});
  return join(home, '.config', 'autostart', AUTOSTART_FILE_NAME);
}

// Desktop Entry spec, "The Exec key": an argument with any of these is quoted.
const RESERVED = /[\s"'\\><~|&;$*?#`()]/;

/**
 * One Exec argument per the Desktop Entry specification: quoted in double quotes when it holds
 * a reserved character, with `"`, `` ` ``, `$` and `\` backslash-escaped inside; `%` doubled
 * (field codes); then the string-value escape, which doubles every backslash again. Control
 * characters have no spelling inside an Exec argument: refused.
 */
export function quoteExecArgument(argument: string): string {
  if (argument === '' || /[\u0000-\u001f\u007f]/.test(argument)) {
    throw new SeedboxError('invalid-argument', 'The program path cannot be written to a desktop entry (it is empty or has control characters).', {});
  }
  const percentEscaped = argument.replaceAll('%', '%%');
  const quoted = RESERVED.test(percentEscaped) ? `"${percentEscaped.replace(/["`$\\]/g, (char) => `\\${char}`)}"` : percentEscaped;
  return quoted.replaceAll('\\', '\\\\');
}

/** The autostart desktop entry that runs `command` (the program, then its arguments). */
export function autostartEntry(options: { name: string; command: readonly string[] }): string {
  // GLib (GNOME's session) looks the program up before it expands %%, so a program path with a
  // % in it would be written correctly and never start: said now rather than at the next login.
  if (options.command[0]?.includes('%')) {
    throw new SeedboxError('invalid-argument', `Start at login cannot run ${options.command[0]}: desktops cannot start a program whose path has a % in it.`, {});
  }
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${options.name}`,
    `Exec=${options.command.map(quoteExecArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Writes (atomically: a temporary file, then rename) or removes the entry. Removing one that is
 * not there is fine. Errors are typed, for the shell's log.
 */
export async function setXdgAutostart(options: { enabled: boolean; env: NodeJS.ProcessEnv; name: string; command: readonly string[] }): Promise<void> {
  const path = autostartEntryPath(options.env);
  // Built first: a command that cannot be written is the caller's error, not the file system's.
  const text = options.enabled ? autostartEntry({ name: options.name, command: options.command }) : null;
  try {
    if (text === null) {
      await rm(path, { force: true });
      return;
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, path);
  } catch (error) {
    throw new SeedboxError('unavailable', `Could not ${options.enabled ? 'write' : 'remove'} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { path });
  }
}

/**
 * What the entry runs: an AppImage's own file (process.execPath points inside its mount, gone
 * after exit), else the executable; unpackaged, Electron needs the app's folder too.
 */
export function autostartCommand(options: { execPath: string; env: NodeJS.ProcessEnv; packaged: boolean; appPath: string }): string[] {
  const appImage = options.env['APPIMAGE'];
  if (options.packaged && appImage && isAbsolute(appImage)) return [appImage];
  return options.packaged ? [options.execPath] : [options.execPath, options.appPath];
}
