import { createInterface } from 'node:readline/promises';
import { runCli } from './run';

// The `seedbox` command. All logic lives in run.ts so tests can drive it in-process too.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stderr.isTTY,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  // Only a person at a terminal can confirm; a script gives --yes.
  ...(process.stdin.isTTY
    ? {
        confirm: async (question: string) => {
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
          } finally {
            prompt.close();
          }
        },
      }
    : {}),
});
