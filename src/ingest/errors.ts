/** A load that cannot proceed; the message names the file (and row or column) and the fix. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
