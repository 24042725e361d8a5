/**
 * A small RFC 4180 reader for the CSV files the county hands in (weather tables exported from
 * a spreadsheet): comma-separated, optional double quotes ("" inside quotes is one quote),
 * CRLF or LF, a UTF-8 byte-order mark ignored, blank lines skipped. Row numbers are the file's
 * line numbers (header = 1) so that an error can name them.
 */
export interface CsvTable {
  header: string[];
  /** Data rows with their 1-based line number in the file. */
  rows: { line: number; cells: string[] }[];
}

export function parseCsv(text: string): CsvTable {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let any = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    any = false;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (!any && cell === '') recordLine = line;
      cell += ch;
      any = true;
    }
  }
  if (any || cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  return { header: (head?.cells ?? []).map((h) => h.trim()), rows };
}

/** A cell a spreadsheet would run as a formula or a DDE command (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-3.5", "+2", "1e-3") starts with - or + but is no formula: kept as is. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * One CSV cell for every CSV the product writes: a text starting with =, +, -, @, tab or
 * carriage return is defused with a leading single quote (OWASP CSV Injection), unless it is
 * a plain number; quoted when it holds a comma, quote or line break; null/undefined → empty.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record (no line end) of cells written by csvCell. */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}
