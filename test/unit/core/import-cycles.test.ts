import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findImportCycles } from '../../helpers/import-cycles';

const CORE = join(import.meta.dirname, '../../../electron/core');

describe('imports in electron/core', () => {
  it('form no cycle (type-only imports included)', () => {
    expect(findImportCycles(CORE)).toEqual([]);
  });
});

describe('findImportCycles', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds a loop closed by a type-only import, and nothing in a chain', () => {
    dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
    writeFileSync(join(dir, 'factory.ts'), "import { Client } from './client';\nexport type Settings = { url: string };\nexport const make = () => new Client();\n");
    writeFileSync(join(dir, 'client.ts'), "import type { Settings } from './factory';\nimport { helper } from './helper';\nexport class Client { s?: Settings; h = helper; }\n");
    writeFileSync(join(dir, 'helper.ts'), 'export const helper = 1;\n');
    expect(findImportCycles(dir)).toEqual([['client.ts', 'factory.ts']]);
  });
});
