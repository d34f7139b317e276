import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '../database/database.module';
import { DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';
import { LivenessRoute } from './liveness.route';
import { ReadinessIndicators } from './readiness.indicators';
import { ShutdownState } from './shutdown-state';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, ShutdownState, LivenessRoute, DatabaseProbe],
  exports: [ShutdownState],
})
export class HealthModule {}
