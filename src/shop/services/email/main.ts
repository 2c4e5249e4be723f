import '../../telemetry/register';
import { runGrpcService } from '../shared/run';
import { emailService } from './email';

void runGrpcService('email', ({ flags, log }) => [emailService(flags, log)]);
