import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The app's id has one home, electron-builder.yml (the installer's Start-menu shortcut and
// .desktop file carry it). The main process gets it at build time as __APP_ID__ (Windows
// shows notifications only for the AppUserModelID of the app's shortcut), so the two cannot drift.

/** The top-level `appId:` of electron-builder.yml (a plain reverse-DNS scalar, nothing to parse beyond it). */
export function readAppId(builderConfigPath = resolve(import.meta.dirname, 'electron-builder.yml')): string {
  const match = /^appId:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9.-]*)["']?[ \t]*(?:#.*)?$/m.exec(readFileSync(builderConfigPath, 'utf8'));
  if (!match) throw new Error(`${builderConfigPath} has no plain top-level appId.`);
  return match[1]!;
}
