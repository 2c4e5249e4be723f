import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { cartService } from './cart';

void runGrpcService('cart', ({ flags }) => [cartService(flags)]);
