import type { ForkOptions } from 'electron';
import type { KeychainProbeLauncher } from '../core/secrets/keychain-probe';

/** The parts of a utilityProcess child used here. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  once(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface UtilityProcessLike {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityChild;
}

/**
 * Starts the keychain probe in a utilityProcess running entryPath (out/main/keychain-probe.js).
 * Why not the app re-run with ELECTRON_RUN_AS_NODE: the packaging turns the RunAsNode fuse off
 * (electron-builder.yml), and docs/tutorial/fuses.md names utilityProcess as what to use instead;
 * docs/api/utility-process.md: a Node.js child started through Chromium's services, which needs
 * no fuse, takes an env, and queues a postMessage sent before it has started.
 */
export function utilityProcessProbeLauncher(utilityProcess: UtilityProcessLike, entryPath: string): KeychainProbeLauncher {
  return (request, env) => {
    const child = utilityProcess.fork(entryPath, [], { env, stdio: 'ignore', serviceName: 'Seedbox Remote keychain check' });
    const answer = new Promise<unknown>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`The keychain check ended with code ${code}.`)));
    });
    child.postMessage(request);
    // kill() is SIGTERM on POSIX: enough for a process blocked in a D-Bus call (no handler).
    return { answer, kill: () => void child.kill() };
  };
}
