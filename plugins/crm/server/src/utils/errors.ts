/** A refusal the admin API answers with its status and message (404 not visible, 400 bad input, 501 not there yet). */
export class CrmError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 501,
    message: string,
  ) {
    super(message);
  }
}
