import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { adService, exposedGc } from './ads';

void runGrpcService('ad', ({ flags, log }) => {
  const gc = exposedGc();
  if (!gc) log.warn('node runs without --expose-gc: adServiceManualGc will not trigger GCs');
  return [adService({ flags, log, gc })];
});
