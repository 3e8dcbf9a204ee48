import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLabels, encodeLabels, LABEL_STYLES } from '../../../../electron/core/clients/rtorrent/labels';
import { SeedboxError } from '../../../../electron/shared/errors';

/** A label as a user would type it: any text (full Unicode), trimmed, not empty. */
const label = fc
  .string({ minLength: 1, maxLength: 20, unit: fc.oneof(fc.constantFrom(',', '%', ' ', '+', '&', '#', '/', '\\', '🎉', 'é', '\u00a0'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
  .map((text) => text.trim())
  .filter((text) => text !== '');

describe('labels: ruTorrent style', () => {
  it('exports both styles, ruTorrent first (the default)', () => {
    expect(LABEL_STYLES).toEqual(['rutorrent', 'flood']);
  });

  it('encodes one label with encodeURIComponent', () => {
    expect(encodeLabels(['Movies'], 'rutorrent')).toBe('Movies');
    expect(encodeLabels(['TV, HD'], 'rutorrent')).toBe('TV%2C%20HD');
    expect(encodeLabels(['Séries'], 'rutorrent')).toBe('S%C3%A9ries');
    expect(encodeLabels(['🎉 party'], 'rutorrent')).toBe('%F0%9F%8E%89%20party');
    expect(encodeLabels(['100%'], 'rutorrent')).toBe('100%25');
  });

  it('decodes one label, commas and spaces included', () => {
    expect(decodeLabels('TV%2C%20HD', 'rutorrent')).toEqual(['TV, HD']);
    expect(decodeLabels('S%C3%A9ries', 'rutorrent')).toEqual(['Séries']);
    expect(decodeLabels('%F0%9F%8E%89%20party', 'rutorrent')).toEqual(['🎉 party']);
    // A raw comma is part of the one label, never a separator.
    expect(decodeLabels('a,b', 'rutorrent')).toEqual(['a,b']);
    // Raw non-ASCII written by another tool comes through unchanged.
    expect(decodeLabels('Фильмы', 'rutorrent')).toEqual(['Фильмы']);
  });

  it('shows invalid percent-encoding as it is', () => {
    expect(decodeLabels('100%', 'rutorrent')).toEqual(['100%']);
    expect(decodeLabels('%E0%A4%A', 'rutorrent')).toEqual(['%E0%A4%A']);
    expect(decodeLabels('%C3', 'rutorrent')).toEqual(['%C3']);
    expect(decodeLabels('%zz', 'rutorrent')).toEqual(['%zz']);
  });

  it('maps no label to "" and "" to no label', () => {
    expect(encodeLabels([], 'rutorrent')).toBe('');
    expect(encodeLabels(['  ', ''], 'rutorrent')).toBe('');
    expect(decodeLabels('', 'rutorrent')).toEqual([]);
  });

  it('trims the label and accepts duplicates of the same label', () => {
    expect(encodeLabels(['  Movies  '], 'rutorrent')).toBe('Movies');
    expect(encodeLabels(['Movies', ' Movies', ''], 'rutorrent')).toBe('Movies');
  });

  it('refuses more than one label with "unsupported"', () => {
    let thrown: unknown;
    try {
      encodeLabels(['a', 'b'], 'rutorrent');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SeedboxError);
    expect((thrown as SeedboxError).code).toBe('unsupported');
    expect((thrown as SeedboxError).message).toMatch(/one label/);
    expect((thrown as SeedboxError).message).toMatch(/flood/);
  });

  it('round-trips any single label (property)', () => {
    fc.assert(
      fc.property(label, (text) => {
        const stored = encodeLabels([text], 'rutorrent');
        expect(stored).not.toBe('');
        expect(decodeLabels(stored, 'rutorrent')).toEqual([text]);
      }),
      { numRuns: 500 },
    );
  });

  it('stores only characters that survive in rTorrent and URLs (property)', () => {
    fc.assert(
      fc.property(label, (text) => {
        expect(encodeLabels([text], 'rutorrent')).toMatch(/^[A-Za-z0-9\-_.!~*'()%]+$/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('labels: flood style', () => {
  it('encodes several labels, each URL-encoded, joined by commas', () => {
    expect(encodeLabels(['a', 'b c', 'd,e'], 'flood')).toBe('a,b%20c,d%2Ce');
  });

  it('decodes several labels; commas inside a label survive through the encoding', () => {
    expect(decodeLabels('a,b%20c,d%2Ce', 'flood')).toEqual(['a', 'b c', 'd,e']);
    expect(decodeLabels('%F0%9F%8E%89,S%C3%A9ries', 'flood')).toEqual(['🎉', 'Séries']);
  });

  it('trims, drops empty labels and removes duplicates when encoding', () => {
    expect(encodeLabels([' a ', 'b', '', '   ', 'a', 'b ', 'c'], 'flood')).toBe('a,b,c');
    expect(encodeLabels([], 'flood')).toBe('');
    expect(encodeLabels(['', ' '], 'flood')).toBe('');
  });

  it('trims and drops empty labels when decoding', () => {
    expect(decodeLabels(' a , b ,,c,', 'flood')).toEqual(['a', 'b', 'c']);
    expect(decodeLabels('%20a%20,%20', 'flood')).toEqual(['a']);
    expect(decodeLabels(',', 'flood')).toEqual([]);
    expect(decodeLabels('', 'flood')).toEqual([]);
  });

  it('shows each invalid percent-encoded tag as it is', () => {
    expect(decodeLabels('ok%20,100%,%zz', 'flood')).toEqual(['ok', '100%', '%zz']);
  });

  it('round-trips any list of labels, trimmed and deduplicated (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(label, label.map((text) => ` ${text}\t`), fc.constant(''), fc.constant('  ')), { maxLength: 8 }), (labels) => {
        const expected = [...new Set(labels.map((text) => text.trim()).filter((text) => text !== ''))];
        const stored = encodeLabels(labels, 'flood');
        expect(decodeLabels(stored, 'flood')).toEqual(expected);
        // And the stored form is stable: encoding what was decoded gives the same string.
        expect(encodeLabels(decodeLabels(stored, 'flood'), 'flood')).toBe(stored);
      }),
      { numRuns: 500 },
    );
  });

  it('never writes a raw comma inside a label (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(label, { maxLength: 6 }), (labels) => {
        const stored = encodeLabels(labels, 'flood');
        expect(stored === '' ? [] : stored.split(',')).toHaveLength(labels.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('labels: decoding never throws on anything stored (property)', () => {
  it.each(LABEL_STYLES)('%s', (style) => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom('%', 'a', 'F', '0', '9', ',', ' ', 'é', '\ud800') }), (custom1) => {
        const labels = decodeLabels(custom1, style);
        expect(Array.isArray(labels)).toBe(true);
        if (style === 'flood') for (const text of labels) expect(text).toBe(text.trim());
      }),
      { numRuns: 300 },
    );
  });
});
