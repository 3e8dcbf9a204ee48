import * as electron from 'electron';
import { startFailureBox } from './language';
import { startShell } from './shell';

// Electron's entry point: everything is in shell.ts, which the tests drive with a fake electron.
void startShell(electron, {
  outDir: import.meta.dirname,
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  argv: process.argv.slice(1),
  cwd: process.cwd(),
}).catch((error: unknown) => {
  console.error('Seedbox Remote could not start:', error);
  const box = startFailureBox(error, electron.app);
  electron.dialog.showErrorBox(box.title, box.content);
  electron.app.exit(1);
});
