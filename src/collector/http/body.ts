// Reading a request body under a size bound, before and after gzip.

import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The body, decompressed when `gzip`. Refuses (413) a body whose declared,
 * received or inflated size passes `maxBytes`; inflation stops at the bound,
 * so a gzip bomb costs at most `maxBytes` of memory.
 */
export async function readBody(
  req: IncomingMessage,
  maxBytes: number,
  gzip: boolean,
): Promise<Buffer> {
  const tooLarge = (what: string): HttpError =>
    new HttpError(413, `request body ${what} more than ${maxBytes} bytes (limit maxBodyBytes)`);
  const declared = Number(req.headers['content-length']);
  // Compressed data of random bytes can be slightly larger than the data itself.
  const rawLimit = gzip ? maxBytes + 64 * 1024 : maxBytes;
  if (Number.isFinite(declared) && declared > rawLimit) throw tooLarge('declares');
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > rawLimit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge('has'));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve();
    });
    // A client that goes away mid-body must not leave this promise (and its chunks) pending.
    req.on('close', () => {
      if (!ended)
        reject(new HttpError(400, 'the client closed the connection before the body was complete'));
    });
    req.on('error', (e) =>
      reject(new HttpError(400, `reading the request body failed: ${e.message}`)),
    );
  });
  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
  if (!gzip) return raw;
  return new Promise<Buffer>((resolve, reject) => {
    gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (err === null) resolve(out);
      else if (
        err instanceof RangeError ||
        (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      )
        reject(tooLarge('inflates to'));
      else reject(new HttpError(400, `invalid gzip body: ${err.message}`));
    });
  });
}
