import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ShutdownState } from './shutdown-state';

/** Readiness checks of our own: all migrations applied, and not draining for shutdown. */
@Injectable()
export class ReadinessIndicators {
  // Once every migration is seen applied it stays so for this process: no query per probe after that.
  private migrationsConfirmed = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  migrations(timeoutMs: number) {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        if (this.migrationsConfirmed) return { pending: 0 };
        const executed = await this.dataSource.query(`SELECT name FROM ${this.dataSource.options.migrationsTableName}`);
        const applied = new Set((executed as Array<{ name: string }>).map((row) => row.name));
        const pending = this.dataSource.migrations.filter((migration) => !applied.has(migration.name ?? ''));
        if (pending.length > 0) {
          throw new Error(`pending migrations: ${pending.map((migration) => migration.name).join(', ')}`);
        }
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
