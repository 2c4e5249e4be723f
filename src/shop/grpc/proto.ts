// Loads proto/demo.proto once per process, from the package root.
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { packageRoot } from '../telemetry/package';
import type { ServiceName } from './types';

let loaded: grpc.GrpcObject | undefined;

/** The `oteldemo` package: camelCase fields, int64 as number, defaults filled in. */
export function demoPackage(): grpc.GrpcObject {
  if (loaded) return loaded;
  const def = protoLoader.loadSync(path.join(packageRoot(), 'proto', 'demo.proto'), {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def)['oteldemo'];
  if (!pkg || typeof pkg === 'function' || !('CartService' in pkg)) {
    throw new Error('proto/demo.proto has no package oteldemo');
  }
  loaded = pkg as grpc.GrpcObject;
  return loaded;
}

/** The client constructor (with its `.service` definition) of a demo service. */
export function serviceConstructor(name: ServiceName): grpc.ServiceClientConstructor {
  const ctor = demoPackage()[name];
  if (typeof ctor !== 'function' || !('service' in ctor)) {
    throw new Error(`proto/demo.proto has no service oteldemo.${name}`);
  }
  return ctor;
}
