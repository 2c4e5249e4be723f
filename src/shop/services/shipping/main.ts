import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { shippingService } from './shipping';

void runGrpcService('shipping', () => [shippingService()]);
