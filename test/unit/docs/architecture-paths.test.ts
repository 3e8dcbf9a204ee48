// docs/architecture.md names files and folders in backticks; each must exist, so the document
// cannot quietly describe a layout the code has left.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const DOC = readFileSync(resolve(ROOT, 'docs/architecture.md'), 'utf8');
const FILE_NAME = /^[\w.-]+\.(ts|vue|mjs|js|json|md|d\.ts)$/;
const NOT_SOURCE = new Set(['node_modules', 'out', '.git', '.tsbuild', 'dist', 'coverage', 'test-artifacts']);

/**
 * The backticked names that stand for a place in the repository: a path from the root
 * (`electron/core/events.ts`), or a file name alone (`remove-data.ts`). Package names (`@scope/x`),
 * URLs, URL paths (`/RPC2`), placeholders (`<kind>`) and commands (with a space) are not.
 */
function repositoryNames(markdown: string): { paths: string[]; fileNames: string[] } {
  const spans = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
  const paths = new Set<string>();
  const fileNames = new Set<string>();
  for (const span of spans) {
    if (/[\s<>*:]/.test(span) || span.startsWith('@') || span.startsWith('/') || span.startsWith('.')) continue;
    if (span.includes('/')) paths.add(span.replace(/\/$/, ''));
    else if (FILE_NAME.test(span)) fileNames.add(span);
  }
  return { paths: [...paths], fileNames: [...fileNames] };
}

function allFileNames(dir: string, into = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!NOT_SOURCE.has(entry.name)) allFileNames(resolve(dir, entry.name), into);
    } else into.add(entry.name);
  }
  return into;
}

describe('docs/architecture.md', () => {
  const { paths, fileNames } = repositoryNames(DOC);

  it('names paths that exist', () => {
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((path) => !existsSync(resolve(ROOT, path)))).toEqual([]);
  });

  it('names files that exist somewhere in the repository', () => {
    const present = allFileNames(ROOT);
    expect(fileNames.filter((name) => !present.has(name))).toEqual([]);
  });
});

describe('repositoryNames', () => {
  it('takes paths and file names, and leaves packages, URLs, placeholders and commands', () => {
    const text = [
      '`electron/core/events.ts` and `electron/core/` and `box-fs.ts`',
      '`@napi-rs/keyring` `app://seedbox-remote/` `/RPC2` `test/unit/core/<kind>` `npm run web` `torrents:delta`',
      '```\nelectron/in/a/block.ts\n```',
    ].join('\n');
    expect(repositoryNames(text)).toEqual({ paths: ['electron/core/events.ts', 'electron/core'], fileNames: ['box-fs.ts'] });
  });
});
