import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppSettings } from '../config/configuration';

const LEVELS: Record<AppSettings['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** JSON lines in production (one object per line for log shippers), readable text in development. */
export function createAppLogger(settings: Pick<AppSettings, 'logLevel' | 'logFormat'>): ConsoleLogger {
  return new ConsoleLogger('BabyShield', {
    logLevels: LEVELS[settings.logLevel],
    json: settings.logFormat === 'json',
    colors: settings.logFormat === 'pretty' && process.stdout.isTTY,
  });
}
