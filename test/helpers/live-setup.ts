import { afterEach } from 'vitest';
import { DAEMON_CRASHED } from './daemon-crash';
import { takeDaemonCrashes } from './processes';

/** A daemon crash under a test fails it with DAEMON_CRASHED, after the daemon is back. */
afterEach(async () => {
  const crashes = takeDaemonCrashes();
  if (crashes.length === 0) return;
  const relaunched = await Promise.all(crashes.map((crash) => crash.relaunched));
  const what = crashes.map((crash, index) => `${crash.description} (${relaunched[index] ? 'started again' : 'not started again'})`).join('; ');
  throw new Error(`${DAEMON_CRASHED}: ${what}`);
});
