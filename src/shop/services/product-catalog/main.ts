import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { catalogService } from './catalog';

void runGrpcService('product-catalog', ({ flags }) => [catalogService(flags)]);
