// One "instance" migrating a test database on its own (a separate process, as two app
// instances booting at once are): runs the tracking plugin's migrations through
// @moat/plugin-kit and prints the names it ran as JSON. argv[2]: the TestDatabase env as JSON.
const knexFactory = require('knex');
const { runPluginMigrations } = require('@moat/plugin-kit');
// the plugin's TypeScript sources, through tsx (as vitest runs them)
const src = require.resolve('../../plugins/tracking/server/src/migrations/index.ts');
const { migrations } = require('tsx/cjs/api').require(src, __filename);

async function main() {
  const env = JSON.parse(process.argv[2]);
  const knex =
    env.DATABASE_CLIENT === 'postgres'
      ? knexFactory({
          client: 'pg',
          connection: { host: env.DATABASE_HOST, port: Number(env.DATABASE_PORT), user: env.DATABASE_USERNAME, password: env.DATABASE_PASSWORD, database: env.DATABASE_NAME },
        })
      : knexFactory({
          client: 'better-sqlite3',
          connection: { filename: env.DATABASE_FILENAME },
          useNullAsDefault: true,
          pool: { afterCreate: (c, done) => done(c.pragma('busy_timeout = 5000') && null, c) },
        });
  try {
    const ran = await runPluginMigrations({ db: { connection: knex } }, 'tracking', migrations);
    process.stdout.write(JSON.stringify(ran));
  } finally {
    await knex.destroy();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
