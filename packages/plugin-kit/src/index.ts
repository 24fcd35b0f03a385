export { type ConfigSchema, configValidator, type RequiredPlugin, requirePlugins } from './config';
export { browserAssets } from './assets';
export { packageRoot, stopWorker, workerScript } from './files';
export { clientOf, type DatabaseClient, MIGRATIONS_TABLE, type MigrationHost, type PluginMigration, recordedMigrations, runPluginMigrations } from './migrations';
export { orderValueSql } from './sql';
export { localParts, zonedInstant } from './time';
