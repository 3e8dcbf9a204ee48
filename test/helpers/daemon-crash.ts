/**
 * The sentence a test fails with when a daemon crashed by itself under it
 * (test/helpers/live-setup.ts), and the retry condition vitest.config.ts gives the live tests:
 * such a test runs once more, on the daemon its helper started again; any other failure does not.
 */
export const DAEMON_CRASHED = 'a daemon crashed by itself under this test';
export const RETRY_ONLY_AFTER_A_DAEMON_CRASH = new RegExp(DAEMON_CRASHED);
