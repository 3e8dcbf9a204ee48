import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accentPalette, applyAccent, fitsDark, fitsLight } from '../../../renderer/src/lib/accent';

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];

describe('the OS accent colour in the window', () => {
  it('keeps WCAG contrast (4.5:1) in both themes whatever the OS gives: text on it, it as text on every surface', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (value) => {
        const palette = accentPalette(`#${value.toString(16).padStart(6, '0')}`)!;
        expect(fitsLight(rgb(palette.light))).toBe(true);
        expect(fitsDark(rgb(palette.dark))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an accent that already fits as it is', () => {
    // A deep blue already fits the light theme; a yellow is darkened until white text reads on it.
    expect(accentPalette('#1d4ed8')!.light).toBe('#1d4ed8');
    expect(accentPalette('#5b95ff')!.dark).toBe('#5b95ff');
    expect(accentPalette('#ffd60a')!.light).not.toBe('#ffd60a');
  });

  it('takes only "#rrggbb" into the stylesheet, and gives the theme its own accent back without one', () => {
    const root = document.createElement('div');
    applyAccent('#0a84ff', root);
    expect(root.style.getPropertyValue('--accent')).toMatch(/^light-dark\(#[0-9a-f]{6}, #[0-9a-f]{6}\)$/);
    for (const hostile of ['red', '#0a84ff; background: url(x)', 'url(https://evil.example/)', '#12345']) {
      applyAccent(hostile, root);
      expect(root.style.getPropertyValue('--accent')).toBe('');
    }
    applyAccent('#0a84ff', root);
    applyAccent(null, root);
    expect(root.style.getPropertyValue('--accent')).toBe('');
  });
});
