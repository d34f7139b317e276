import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describePendingMigrations, SchemaStatus } from '../database/schema-status';
import { DatabaseProbe } from './database-probe';
import { ShutdownState } from './shutdown-state';

/** Readiness checks: the database answers (on the probe's own connection), all migrations applied, not draining. */
@Injectable()
export class ReadinessIndicators {
  // Once every migration is seen applied it stays so for this process: no query per probe after that.
  private migrationsConfirmed = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    private readonly probe: DatabaseProbe,
    private readonly schema: SchemaStatus,
  ) {}

  database(timeoutMs: number) {
    return this.indicators
      .check('database')
      .attempt(async () => void (await this.probe.query('SELECT 1', timeoutMs)))
      .withTimeout(timeoutMs);
  }

  migrations(timeoutMs: number) {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        if (this.migrationsConfirmed) return { pending: 0 };
        const pending = await this.schema.pendingMigrations((sql) => this.probe.query(sql, timeoutMs));
        if (pending.length > 0) throw new Error(describePendingMigrations(pending));
        this.migrationsConfirmed = true;
        return { pending: 0 };
      })
      .withTimeout(timeoutMs);
  }

  notShuttingDown() {
    const session = this.indicators.check('shutdown');
    return this.shutdown.isShuttingDown ? session.down({ message: 'shutting down' }) : session.up();
  }
}
