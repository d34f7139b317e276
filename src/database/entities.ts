import { RecallIdentifierEntity } from '../recalls/domain/recall-identifier.entity';
import { RecallEntity } from '../recalls/domain/recall.entity';

/** Every TypeORM entity of the service, in one list used by the DataSource options. */
export const ENTITIES: Function[] = [RecallEntity, RecallIdentifierEntity];
