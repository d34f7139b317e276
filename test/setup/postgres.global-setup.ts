import { assertTestDatabaseUrl } from '../support/test-database';

export default function postgresGlobalSetup(): void {
  assertTestDatabaseUrl(process.env.TEST_DATABASE_URL);
}
