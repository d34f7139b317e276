// Whether this Jest run includes the e2e suite on PostgreSQL: TEST_DATABASE_URL names a PostgreSQL database.
function isPostgresTestRunRequested(env = process.env) {
  return /^postgres(ql)?(\+\w+)?:\/\//i.test(env.TEST_DATABASE_URL ?? '');
}

module.exports = { isPostgresTestRunRequested };
