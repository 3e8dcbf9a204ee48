// What a bench module hands back, and how bench/index.ts prints it.
import type { Samples } from './stats';

export interface Figure {
  label: string;
  /** Milliseconds per run. */
  samples: Samples;
  /** Bytes handled per run, for the MB and MB/s columns (MB = 10^6 bytes). */
  bytes?: number;
  note?: string;
}

export interface Goal {
  label: string;
  met: boolean;
  detail: string;
}

export interface BenchReport {
  title: string;
  /** Setup facts worth recording: versions, sizes, load time. */
  info: Array<[label: string, value: string]>;
  figures: Figure[];
  ratios: Array<[label: string, value: string]>;
  goals: Goal[];
}

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

export function formatReport(report: BenchReport): string {
  const out: string[] = [`== ${report.title} ==`, ''];
  const labelWidth = Math.max(...report.info.map(([label]) => label.length));
  for (const [label, value] of report.info) out.push(`${label.padEnd(labelWidth)}  ${value}`);
  out.push('');
  if (report.figures.length > 0) {
    out.push(
    ...table(
      ['', 'median ms', 'min ms', 'max ms', 'MB', 'MB/s', 'note'],
      report.figures.map((figure) => [
        figure.label,
        figure.samples.median.toFixed(1),
        figure.samples.min.toFixed(1),
        figure.samples.max.toFixed(1),
        figure.bytes !== undefined ? (figure.bytes / 1e6).toFixed(2) : '',
        figure.bytes !== undefined ? (figure.bytes / 1e6 / (figure.samples.median / 1000)).toFixed(0) : '',
        figure.note ?? '',
      ]),
      new Set([1, 2, 3, 4, 5]),
    ),
    );
    out.push('');
  }
  out.push(...table([report.figures.length > 0 ? 'ratio (medians)' : 'figure', 'value'], report.ratios, new Set([1])));
  out.push('');
  for (const goal of report.goals) out.push(`${goal.met ? 'PASS' : 'MISS'}  ${goal.label}: ${goal.detail}`);
  return out.join('\n');
}
