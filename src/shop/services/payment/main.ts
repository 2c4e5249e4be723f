import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { paymentService } from './charge';

void runGrpcService('payment', ({ flags, log }) => [paymentService({ flags, log })]);
