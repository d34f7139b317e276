import { Injectable } from '@nestjs/common';

/** Set once SIGTERM arrives, so readiness turns 503 while in-flight work drains. */
@Injectable()
export class ShutdownState {
  private shuttingDownSince?: Date;

  markShuttingDown(): void {
    this.shuttingDownSince ??= new Date();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDownSince !== undefined;
  }
}
