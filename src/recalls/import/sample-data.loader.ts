import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { RecallImporter } from './recall-importer';

export const SAMPLES_DIRECTORY = join(process.cwd(), 'data', 'samples');

/** In development, an empty database is filled with the real sample recalls so `npm start` answers for real. */
@Injectable()
export class SampleDataLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('SampleData');

  constructor(
    private readonly importer: RecallImporter,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.app.loadSampleData) return;
    const [{ count }] = await this.dataSource.query('SELECT COUNT(*) AS count FROM recalls');
    if (Number(count) > 0 || !existsSync(SAMPLES_DIRECTORY)) return;
    for (const file of readdirSync(SAMPLES_DIRECTORY).filter((name) => /\.(json|xml)$/.test(name)).sort()) {
      const summary = await this.importer.importFile(join(SAMPLES_DIRECTORY, file));
      this.logger.log(`${file}: ${summary.inserted} inserted, ${summary.rejected.length} rejected`);
    }
  }
}
