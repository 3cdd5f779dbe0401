import { DomainError } from '@hcp/domain';

/** One thing wrong with one row of a batch (an API write is a batch of one, an import of many). */
export interface RowProblem {
  /** 0-based index in the batch; the importer turns it into a line number. */
  row: number;
  field: string;
  message: string;
}

/** Fails a batch with all its problems; nothing of it has been written. */
export function rejectBatch(problems: RowProblem[]): never {
  const first = problems[0]!;
  throw new DomainError(
    'UNPROCESSABLE',
    {
      en: `${first.field}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      zh: `字段 ${first.field} 有误：${first.message}${problems.length > 1 ? `（另有 ${problems.length - 1} 处）` : ''}`,
    },
    { field: first.field, problems },
  );
}

/** Reports every row whose key repeats an earlier row's key. */
export function findDuplicateKeys<T>(rows: T[], field: string, keyOf: (row: T) => string): RowProblem[] {
  const seen = new Map<string, number>();
  const problems: RowProblem[] = [];
  rows.forEach((row, i) => {
    const key = keyOf(row);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      problems.push({ row: i, field, message: `${key} appears twice in the batch (also row ${first + 1})` });
  });
  return problems;
}
