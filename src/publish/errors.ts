/**
 * A table or a rule set that cannot be protected as given. The message names the table (and the
 * cell or rule) and `fix` says what to change. Nothing is published when this is thrown.
 */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}
