import { posix, win32 } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collisionKey,
  keepBothName,
  MAX_COMPONENT_BYTES,
  safeComponent,
  safeRelativePath,
} from '../../../../electron/core/fetch/safe-names';
import { SeedboxError } from '../../../../electron/shared/errors';

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** What every component the sanitizer returns must be, on any OS. */
function expectSafeComponent(component: string): void {
  expect(component).not.toBe('');
  expect(component).not.toMatch(/^\.+$/);
  expect(component).not.toMatch(/[/\\<>:"|?*\u0000-\u001f\u007f]/);
  expect(component).not.toMatch(/[. ]$/);
  expect(RESERVED.test(component.split('.')[0]!.trimEnd())).toBe(false);
  expect(Buffer.byteLength(component)).toBeLessThanOrEqual(MAX_COMPONENT_BYTES);
}

describe('safeRelativePath', () => {
  it.each([
    ['../../etc/passwd', ['_', '_', 'etc', 'passwd']],
    ['/etc/passwd', ['etc', 'passwd']],
    ['C:\\Windows\\system32\\x.dll', ['C_', 'Windows', 'system32', 'x.dll']],
    ['\\\\server\\share\\f', ['server', 'share', 'f']],
    ['a/./b//c', ['a', 'b', 'c']],
    ['.. /x', ['_', 'x']],
    ['a/CON', ['a', '_CON']],
    ['nul.txt', ['_nul.txt']],
    ['Com1 .tar.gz', ['_Com1 .tar.gz']],
    ['LPT¹', ['_LPT¹']],
    ['console.log', ['console.log']],
    ['trailing. ', ['trailing']],
    ['a\u0000b\nc', ['a_b_c']],
    ['what?<x>|"y":*', ['what__x___y___']],
    ['.hidden', ['.hidden']],
    ['Ame\u0301lie.mkv', ['Amélie.mkv']],
  ])('%j -> %j', (raw, expected) => {
    expect(safeRelativePath(raw)).toEqual(expected);
  });

  it('refuses a path that names nothing, or is absurdly deep or long', () => {
    for (const raw of ['', '/', './/.', 'a/'.repeat(65) + 'b', `${'x'.repeat(200)}/`.repeat(30)]) {
      const error = (() => {
        try {
          safeRelativePath(raw);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(SeedboxError);
      expect((error as SeedboxError).code).toBe('refused');
    }
  });

  it('shortens a long name on a character boundary and keeps its extension', () => {
    const name = `${'é'.repeat(300)}.mkv`;
    const [safe] = safeRelativePath(name);
    expect(safe!.endsWith('.mkv')).toBe(true);
    expect(Buffer.byteLength(safe!)).toBeLessThanOrEqual(MAX_COMPONENT_BYTES);
    expect(safe).not.toContain('\ufffd');
  });

  it('property: any input gives safe components that stay inside the folder on POSIX and Windows', () => {
    const piece = fc.oneof(
      fc.constantFrom('..', '.', '', '/', '\\', 'CON', 'nul', 'C:', ' ', '.. ', 'com1.txt', '\u0000', 'a'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const raw = parts.join('');
        let components: string[];
        try {
          components = safeRelativePath(raw);
        } catch (error) {
          expect((error as SeedboxError).code).toBe('refused');
          return;
        }
        for (const component of components) expectSafeComponent(component);
        for (const path of [posix, win32]) {
          const root = path === posix ? '/dest' : 'D:\\dest';
          const resolved = path.resolve(root, ...components);
          const relative = path.relative(root, resolved);
          expect(relative.split(path.sep)[0] === '..' || path.isAbsolute(relative) || relative === '').toBe(false);
          expect(relative.split(path.sep)).toEqual(components);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the sanitizer is idempotent (a safe path comes back unchanged)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const first = (() => {
          try {
            return safeRelativePath(raw);
          } catch {
            return undefined;
          }
        })();
        if (first) expect(safeRelativePath(first.join('/'))).toEqual(first);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('helpers', () => {
  it('safeComponent turns only-dots into "_"', () => {
    expect(safeComponent('...')).toBe('_');
  });
  it('collisionKey folds case and normalization', () => {
    expect(collisionKey(['A', 'Ame\u0301lie'])).toBe(collisionKey(['a', 'amélie']));
  });
  it('keepBothName numbers the copy before the extension', () => {
    expect(keepBothName('film.mkv', 2)).toBe('film (2).mkv');
    expect(keepBothName('README', 3)).toBe('README (3)');
    expect(keepBothName('.bashrc', 2)).toBe('.bashrc (2)');
  });
});
