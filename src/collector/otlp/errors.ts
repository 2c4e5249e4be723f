// Errors the decoders throw. Receivers map them to HTTP 400/413 and gRPC
// INVALID_ARGUMENT / RESOURCE_EXHAUSTED; anything else escaping a decoder is a bug.

export type DecodeErrorKind = 'malformed' | 'limit';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** `malformed`: the input is not valid OTLP. `limit`: valid but over a configured bound. */
  readonly kind: DecodeErrorKind;
  constructor(message: string, kind: DecodeErrorKind = 'malformed') {
    super(message);
    this.kind = kind;
  }
}

/** Where in the message the decoder is: kept as a stack, formatted only on error. */
export class FieldPath {
  private readonly parts: (string | number)[] = [];

  push(name: string, index?: number): void {
    this.parts.push(name);
    if (index !== undefined) this.parts.push(index);
  }

  pop(withIndex = false): void {
    this.parts.pop();
    if (withIndex) this.parts.pop();
  }

  /** Replace the index of the innermost repeated field (cheaper than pop + push). */
  setIndex(index: number): void {
    this.parts[this.parts.length - 1] = index;
  }

  toString(): string {
    let out = '';
    for (const p of this.parts) {
      if (typeof p === 'number') out += `[${p}]`;
      else if (p === '') continue;
      else out += out === '' ? p : `.${p}`;
    }
    return out;
  }

  error(message: string, kind: DecodeErrorKind = 'malformed'): DecodeError {
    const where = this.toString();
    return new DecodeError(where === '' ? message : `${where}: ${message}`, kind);
  }
}
