// Finds otel-lab's package root, so services work from src/ (tsx) and dist/.
// Kept free of other imports: register.ts loads it before grpc and http.
import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The directory holding otel-lab's package.json and proto/. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(path.join(dir, 'proto', 'demo.proto'))
    ) {
      root = dir;
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the otel-lab package root above ${__dirname}`);
    dir = up;
  }
}

/** otel-lab's version, reported as `service.version`. */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(
      fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'),
    );
    if (
      typeof pkg === 'object' &&
      pkg !== null &&
      'version' in pkg &&
      typeof pkg.version === 'string'
    ) {
      return pkg.version;
    }
  } catch {
    // a missing version must not stop the service
  }
  return '0.0.0';
}
