import { CpscFeedMapper } from './cpsc.mapper';
import { EuSafetyGateFeedMapper } from './eu-safety-gate.mapper';
import { FeedMapper, FeedSource } from './feed-mapper';
import { HealthCanadaFeedMapper } from './health-canada.mapper';
import { NhtsaFeedMapper } from './nhtsa.mapper';
import { OpenFdaFeedMapper } from './openfda.mapper';

export * from './feed-mapper';
export { CpscFeedMapper, EuSafetyGateFeedMapper, HealthCanadaFeedMapper, NhtsaFeedMapper, OpenFdaFeedMapper };
export { parseEuSafetyGateXml } from './eu-safety-gate.mapper';
export type { EuSafetyGateNotification } from './eu-safety-gate.mapper';

/** The mapper for each feed we import. */
export const FEED_MAPPERS: Record<FeedSource, FeedMapper> = {
  cpsc: new CpscFeedMapper(),
  openfda: new OpenFdaFeedMapper(),
  nhtsa: new NhtsaFeedMapper(),
  'health-canada': new HealthCanadaFeedMapper(),
  'eu-safety-gate': new EuSafetyGateFeedMapper(),
};
