// Rewrites caret/tilde ranges in package.json files to the exact versions installed,
// so every dependency is pinned (the lockfile pins the transitive ones).
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const files = ['package.json', ...readdirSync('plugins').map((d) => `plugins/${d}/package.json`).filter(existsSync)];
for (const file of files) {
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (/^\d/.test(range)) continue;
      const installed = JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [process.cwd()] }), 'utf8')).version;
      pkg[field][name] = installed;
    }
  }
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
