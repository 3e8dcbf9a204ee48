import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../electron/core/rules/audit-log';
import type { BoxPlan, Decision } from '../../../../electron/core/rules/engine';
import { tempDir } from '../../../helpers/processes';

function decision(n: number): Decision {
  return {
    seedbox: { id: 'box-a', name: 'A' },
    torrent: { id: n.toString(16).padStart(40, '0'), name: `T${n}`, trackers: ['t.example'], sizeBytes: 10, savePath: '/d' },
    rule: { id: 'rule-1', name: 'Ratio', version: 3, mode: 'live' },
    action: 'remove-data',
    operation: 'remove-data',
    outcome: 'done',
    reason: '',
    values: [{ field: 'ratio', value: 2.5, text: 'ratio = 2.50 ≥ 2' }],
    bytesFreed: 10,
    bytesFreedUpperBound: true,
    reannounce: false,
  };
}

function boxPlan(...numbers: number[]): BoxPlan {
  return { seedbox: { id: 'box-a', name: 'A' }, decisions: numbers.map(decision), bytesFreed: 0 };
}

describe('AuditLog', () => {
  it('appends one JSON line per decision beside the settings file and reads them back since a time', async () => {
    const folder = tempDir('audit');
    const log = new AuditLog({ configPath: join(folder, 'seedbox-remote.json') });
    await log.record(boxPlan(1, 2), new Date('2026-01-01T00:00:00Z'));
    await log.record(boxPlan(3), new Date('2026-01-02T00:00:00Z'));
    expect(log.path).toBe(join(folder, 'rules-audit.jsonl'));
    const all = await log.read();
    expect(all.map((entry) => entry.torrent.name)).toEqual(['T1', 'T2', 'T3']);
    expect(all[0]).toMatchObject({ time: '2026-01-01T00:00:00.000Z', rule: { name: 'Ratio', version: 3 }, result: 'done', bytesFreed: 10, trackers: ['t.example'] });
    expect((await log.read(new Date('2026-01-01T12:00:00Z'))).map((entry) => entry.torrent.name)).toEqual(['T3']);
  });

  it('rotates at its size cap, keeps a few files, drops the oldest and skips a torn line', async () => {
    const folder = tempDir('audit');
    const log = new AuditLog({ configPath: join(folder, 'c.json'), maxBytes: 600, keep: 2 });
    for (let n = 1; n <= 6; n++) await log.record(boxPlan(n));
    appendFileSync(log.path, '{"time":"2026-');
    const names = (await log.read()).map((entry) => entry.torrent.name);
    expect(names.at(-1)).toBe('T6');
    expect(names).not.toContain('T1');
    expect(names).toEqual([...names].sort());
    expect(existsSync(`${log.path}.2`)).toBe(true);
    expect(existsSync(`${log.path}.3`)).toBe(false);
  });
});
