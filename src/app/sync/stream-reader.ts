import type { Hash64 } from '../../domain/hash64.js';
import { openCsv, type CsvRecord, type CsvSource } from '../../io/csv.js';
import { CsvLines, type CsvLine } from '../../io/csv-lines.js';

/**
 * The file's records as the stream reads them: bytes when the file has no quote character
 * (io/csv-lines.ts), PapaParse's cells otherwise. Each gives a record's digest input and cells.
 */
export interface Reader<R extends { line: number }> {
  /** What the digest of a record's rows says about how they were read. */
  kind: string;
  batches(): AsyncIterable<R[]>;
  cell(r: R, at: number): string;
  fields(r: R): string[];
  digest(h: Hash64, r: R): void;
  bytesRead(): number;
  close(): void;
}

export async function readerOf(source: CsvSource): Promise<Reader<CsvLine> | Reader<CsvRecord>> {
  if (!source.quotes) {
    const lines = new CsvLines(source);
    const reader: Reader<CsvLine> = {
      kind: `bytes ${source.encoding} ${source.delimiter}`,
      batches: () => lines.batches(),
      cell: (r, at) => lines.cell(r, at),
      fields: (r) => lines.fields(r),
      digest: (h, r) => void h.word(r.a).word(r.b),
      bytesRead: () => lines.bytesRead(),
      close: () => lines.close(),
    };
    return reader;
  }
  const csv = await openCsv(source);
  const reader: Reader<CsvRecord> = {
    kind: 'cells',
    batches: () => csv.batches(2000),
    cell: (r, at) => r.fields[at] ?? '',
    fields: (r) => r.fields,
    digest: (h, r) => {
      for (const f of r.fields) h.update(f);
    },
    bytesRead: () => csv.bytesRead(),
    close: () => csv.close(),
  };
  return reader;
}
