import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { currencyService } from './currency';

void runGrpcService('currency', () => [currencyService()]);
