/** Every TypeORM entity of the service, in one list used by the DataSource options. */
export const ENTITIES: Function[] = [];
