export { clientOf, type DatabaseClient, MIGRATIONS_TABLE, type MigrationHost, type PluginMigration, recordedMigrations, runPluginMigrations } from './migrations';
