// The common main of a gRPC shop service: flags, server on its registry port,
// a log line when ready, a clean stop on SIGTERM (see telemetry/register).
import { servicePort } from '../../registry';
import { startFileFlags, type FileFlags } from '../../flags/openfeature';
import { startGrpcServer, type ServiceBinding } from '../../grpc/server';
import { createLogger, type Logger } from '../../telemetry/log';

export interface ServiceContext {
  readonly flags: FileFlags;
  readonly log: Logger;
}

export async function runGrpcService(
  name: string,
  build: (ctx: ServiceContext) => ServiceBinding[] | Promise<ServiceBinding[]>,
): Promise<void> {
  const log = createLogger(name);
  try {
    const flags = await startFileFlags({ logger: log });
    const bindings = await build({ flags, log });
    const server = await startGrpcServer(bindings, servicePort(name));
    log.info(`${name} listening on 127.0.0.1:${server.port}`, { 'flags.file': flags.file });
  } catch (err) {
    log.error(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 500).unref();
  }
}
