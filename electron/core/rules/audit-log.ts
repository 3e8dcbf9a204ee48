// Issue 13 §4: every decision of a rules run, appended as one JSON line, in the app's data
// folder beside the settings file. The file is rotated when it would pass its size cap; the
// few files before it are kept (audit.jsonl.1 is the newest of them), older ones are dropped.
import { appendFile, mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AuditEntrySchema, type AuditEntry, type BoxPlan, type Decision } from '../../shared/rules/report';

export type { AuditEntry } from '../../shared/rules/report';

export const AUDIT_LOG_NAME = 'rules-audit.jsonl';
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_KEEP = 3;

export interface AuditLogOptions {
  /** The settings file: the log lives in the same folder (the app's data folder by default). */
  configPath: string;
  maxBytes?: number;
  keep?: number;
}

export class AuditLog {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(options: AuditLogOptions) {
    this.path = join(dirname(options.configPath), AUDIT_LOG_NAME);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.keep = options.keep ?? DEFAULT_KEEP;
  }

  /** One line per decision of the box's run. */
  async record(plan: BoxPlan, time: Date = new Date()): Promise<void> {
    if (plan.decisions.length === 0) return;
    const text = plan.decisions.map((decision) => `${JSON.stringify(entryOf(decision, time))}\n`).join('');
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const size = await stat(this.path).then(
      (found) => found.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(text) > this.maxBytes) await this.rotate();
    await appendFile(this.path, text, { mode: 0o600 });
  }

  /** The entries at or after `since`, oldest first, from the rotated files and the current one. */
  async read(since?: Date): Promise<AuditEntry[]> {
    const files = [...Array.from({ length: this.keep }, (_, index) => `${this.path}.${this.keep - index}`), this.path];
    const entries: AuditEntry[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        // A line cut short by a crash mid-write is skipped, not fatal: the rest of the log stays readable.
        // So is one edited by hand into another shape: every entry read has the shape the window expects.
        let entry: AuditEntry;
        try {
          const parsed = AuditEntrySchema.safeParse(JSON.parse(line));
          if (!parsed.success) continue;
          entry = parsed.data;
        } catch {
          continue;
        }
        if (since === undefined || Date.parse(entry.time) >= since.getTime()) entries.push(entry);
      }
    }
    return entries;
  }

  private async rotate(): Promise<void> {
    await unlink(`${this.path}.${this.keep}`).catch(() => undefined);
    for (let index = this.keep - 1; index >= 1; index--) await rename(`${this.path}.${index}`, `${this.path}.${index + 1}`).catch(() => undefined);
    await rename(this.path, `${this.path}.1`);
  }
}

function entryOf(decision: Decision, time: Date): AuditEntry {
  return {
    time: time.toISOString(),
    seedbox: decision.seedbox,
    torrent: { id: decision.torrent.id, name: decision.torrent.name },
    trackers: decision.torrent.trackers,
    rule: decision.rule,
    values: decision.values,
    action: decision.action,
    operation: decision.operation,
    result: decision.outcome,
    reason: decision.reason,
    bytesFreed: decision.bytesFreed,
    bytesFreedUpperBound: decision.bytesFreedUpperBound,
  };
}
