import '../../telemetry/register';
import { serviceAddress } from '../../registry';
import { createClient } from '../../grpc/client';
import { runGrpcService } from '../shared/run';
import { recommendationService } from './recommend';

void runGrpcService('recommendation', ({ flags, log }) => [
  recommendationService({
    catalog: createClient('ProductCatalogService', serviceAddress('product-catalog')),
    flags,
    log,
  }),
]);
