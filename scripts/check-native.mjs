// Checks that the dependencies whose install scripts npm must run (package.json
// `allowScripts`) installed and work on the Node running this: better-sqlite3's addon, which
// its install script compiles (an install that skipped the script has no addon; one built for
// another Node fails to load with NODE_MODULE_VERSION), and the esbuild and @swc/core binaries.
// CI runs it after every `npm ci` (`node scripts/check-native.mjs`); a unit test runs it too.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

function betterSqlite3() {
  const dir = dirname(require.resolve('better-sqlite3/package.json'));
  const addon = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(addon)) {
    throw new Error(`better-sqlite3: ${addon} is missing: its install script was skipped (allowScripts in package.json) or failed`);
  }
  // a file database in WAL mode, as Moat runs it (the addon loads on the first open)
  const tmp = mkdtempSync(join(tmpdir(), 'moat-native-'));
  try {
    let db;
    try {
      db = new (require('better-sqlite3'))(join(tmp, 'check.db'));
    } catch (error) {
      throw new Error(`better-sqlite3: its addon does not load on Node ${process.version} (ABI ${process.versions.modules}): ${error.message}`);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.exec('create table t (id integer primary key, v text)');
      db.prepare('insert into t (v) values (?)').run('ok');
      const row = db.prepare('select v, sqlite_version() as sqlite from t').get();
      const mode = db.pragma('journal_mode', { simple: true });
      if (row?.v !== 'ok' || mode !== 'wal') throw new Error(`better-sqlite3: unexpected result ${JSON.stringify({ row, mode })}`);
      return `better-sqlite3 ${require('better-sqlite3/package.json').version} (SQLite ${row.sqlite}, WAL)`;
    } finally {
      db.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function esbuild() {
  const { transformSync, version } = require('esbuild');
  const { code } = transformSync('const n: number = 1; export default n;', { loader: 'ts', format: 'cjs' });
  if (!code.includes('n = 1')) throw new Error(`esbuild: unexpected output ${code}`);
  return `esbuild ${version}`;
}

function swc() {
  const { transformSync, version } = require('@swc/core');
  const { code } = transformSync('const n: number = 1; export default n;', { jsc: { parser: { syntax: 'typescript' } } });
  if (!code.includes('n = 1')) throw new Error(`@swc/core: unexpected output ${code}`);
  return `@swc/core ${version}`;
}

/** Runs every check; throws on the first that fails, else returns one line per module. */
export function checkNativeModules() {
  return [betterSqlite3(), esbuild(), swc()];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const lines = checkNativeModules();
    console.log(`native modules ok on Node ${process.version} (ABI ${process.versions.modules}): ${lines.join(', ')}`);
  } catch (error) {
    console.error(`native module check FAILED on Node ${process.version}: ${error.message}`);
    process.exit(1);
  }
}
