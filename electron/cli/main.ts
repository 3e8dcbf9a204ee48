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
        ask: async (prompt: string) => {
          const reader = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await reader.question(prompt);
          } finally {
            reader.close();
          }
        },
      }
    : {}),
});
