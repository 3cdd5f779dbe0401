import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One record of an import file with the line (CSV) or position (JSON) people will look for. */
export interface SourceRecord {
  where: string;
  data: Record<string, unknown>;
}

/** Thrown when the file itself cannot be read as CSV or JSON. */
export class FileFormatError extends Error {}

/**
 * Reads a CSV (UTF-8, with or without BOM; first row names the fields as in the API) or JSON file
 * (an array of objects). In CSV an empty cell means null; numbers are converted later by schema.
 */
export function readRecords(file: string): SourceRecord[] {
  const text = readFileSync(file, 'utf8');
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return fromJson(text);
  if (ext === '.csv') return fromCsv(text);
  throw new FileFormatError(`${file}: expected a .csv or .json file`);
}

function fromJson(text: string): SourceRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new FileFormatError(`not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new FileFormatError('a JSON import is an array of objects');
  return parsed.map((data, i) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new FileFormatError(`record ${i + 1} is not an object`);
    }
    return { where: `record ${i + 1}`, data: data as Record<string, unknown> };
  });
}

function fromCsv(text: string): SourceRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true, info: true });
  } catch (e) {
    throw new FileFormatError(`not valid CSV: ${(e as Error).message}`);
  }
  return rows.map(({ record, info }) => ({
    where: `line ${info.lines}`,
    data: Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === '' ? null : v])),
  }));
}
