/**
 * Something went wrong talking to CBS StatLine, or in what it sent back. Like `IngestError`, the
 * message says what happened (naming the URL and the HTTP status when there was one) and `fix` says
 * what to do about it.
 */
export class CbsError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly url?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CbsError';
  }
}

/** The response is not what OData promises (not JSON, no `value` array, a row without a key, …). */
export class CbsShapeError extends CbsError {
  constructor(message: string, fix: string, url: string) {
    super(message, fix, url);
    this.name = 'CbsShapeError';
  }
}

/** A measure asked for by stem or title is absent from the table, or matches more than one. */
export class CbsMeasureError extends CbsError {
  constructor(
    message: string,
    fix: string,
    /** the measures that came closest, as `Key (Title, Unit)` */
    readonly candidates: string[],
  ) {
    super(message, fix);
    this.name = 'CbsMeasureError';
  }
}
