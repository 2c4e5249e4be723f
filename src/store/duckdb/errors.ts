/** The store could not be opened; the message names the path and what to do. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}
