import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseCsv } from './csv.ts';

describe('csvCell', () => {
  it('defuses text a spreadsheet would run (OWASP CSV Injection): =, +, -, @, tab, CR', () => {
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('+1+cmd|')).toBe("'+1+cmd|");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('keeps plain numbers, quotes only what needs it, writes null as empty', () => {
    expect(csvCell('-3.5')).toBe('-3.5');
    expect(csvCell('+2')).toBe('+2');
    expect(csvCell(-7)).toBe('-7');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('高村镇')).toBe('高村镇');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips through parseCsv with the defusing quote kept', () => {
    const line = csvRow(['=cmd()', '\tx', 'a "b", c', 12]);
    expect(parseCsv(`h1,h2,h3,h4\r\n${line}\r\n`).rows[0]?.cells).toEqual([
      "'=cmd()",
      "'\tx",
      'a "b", c',
      '12',
    ]);
  });
});
