// docs/rules-language.md is checked against the code, so it cannot drift from it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_FIELDS, formatCondition, parse } from '../../../../electron/shared/rules';

const DOC = readFileSync(resolve(import.meta.dirname, '../../../../docs/rules-language.md'), 'utf8');
const BLOCKS = [...DOC.matchAll(/```\n([\s\S]*?)```/g)].map((match) => match[1]!.trimEnd().split('\n'));

describe('docs/rules-language.md', () => {
  it('has a row for every field, and no row for a field that does not exist', () => {
    const section = DOC.slice(DOC.indexOf('## Fields'), DOC.indexOf('## Values and units'));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]);
    expect(rows).toEqual(RULE_FIELDS.map((field) => field.name));
  });

  it('shows examples that parse, as the formatter prints them', () => {
    for (const block of [BLOCKS[0]!, BLOCKS[1]!]) {
      for (const line of block) {
        const result = parse(line);
        expect(result.ok, line).toBe(true);
        if (result.ok) expect(formatCondition(result.rule.condition)).toBe(line);
      }
    }
  });

  it('quotes the errors word for word', () => {
    const errors = BLOCKS.find((block) => block.some((line) => line.includes('Expected')))!;
    expect(errors.length).toBeGreaterThan(2);
    for (const line of errors) {
      const [text, message] = line.split(/ {2,}/) as [string, string];
      const result = parse(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.message).toBe(message);
    }
  });
});
