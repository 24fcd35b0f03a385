// `node scripts/plugin-package.mjs plugins/<name> [...]`: turns a plugin folder of the
// repository's layout (server/src, admin/src, package.json with strapi.kind "plugin") into a
// publishable Strapi 5 plugin package built with @strapi/sdk-plugin (docs/plugin-package.md
// lists what it sets). Idempotent: run it again after editing the package by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root } from './lib/plugins.mjs';

const SDK = '6.1.1';
const STRAPI = '5.54.0';
/** what a plugin's admin and server import from the host app: shared, never bundled */
const PEERS = {
  '@strapi/design-system': '^2.0.0',
  '@strapi/icons': '^2.0.0',
  '@strapi/strapi': '^5.54.0',
  '@strapi/utils': '^5.54.0',
  react: '^18.0.0',
  'react-dom': '^18.0.0',
  'react-intl': '^6.0.0',
  'react-router-dom': '^6.0.0',
  'styled-components': '^6.0.0',
};

const write = (file, text) => {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text);
  console.log(`wrote ${file.slice(root.length)}`);
};
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

function convert(dir) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.strapi?.kind !== 'plugin') throw new Error(`${file}: strapi.kind must be "plugin"`);
  const hasAdmin = existsSync(join(dir, 'admin', 'src', 'index.ts')) || existsSync(join(dir, 'admin', 'src', 'index.tsx'));
  const adminSource = existsSync(join(dir, 'admin', 'src', 'index.tsx')) ? './admin/src/index.tsx' : './admin/src/index.ts';
  const workers = pkg.moat?.workers ?? {};
  const exports = { './package.json': './package.json' };
  if (hasAdmin) {
    exports['./strapi-admin'] = {
      types: './dist/admin/src/index.d.ts',
      source: adminSource,
      import: './dist/admin/index.mjs',
      require: './dist/admin/index.js',
      default: './dist/admin/index.js',
    };
  }
  // Strapi requires the CommonJS build; the ES build exists because sdk-plugin requires it
  exports['./strapi-server'] = {
    types: './dist/server/src/index.d.ts',
    source: './server/src/index.ts',
    import: './dist/server/index.mjs',
    require: './dist/server/index.js',
    default: './dist/server/index.js',
  };
  // worker threads: one bundle each, started by @moat/plugin-kit's workerScript
  for (const [name, source] of Object.entries(workers)) {
    exports[`./workers/${name}`] = {
      source: `./${source}`,
      import: `./dist/workers/${name}/index.mjs`,
      require: `./dist/workers/${name}/index.js`,
      default: `./dist/workers/${name}/index.js`,
    };
  }
  // the host's shared packages as ranges; a plugin's own extra peers (better-sqlite3…) stay
  const peers = { ...(pkg.peerDependencies ?? {}), ...PEERS };
  const deps = { ...(pkg.dependencies ?? {}) };
  for (const name of Object.keys(peers)) delete deps[name];
  const next = {
    name: pkg.name,
    version: pkg.version ?? '0.1.0',
    description: pkg.description,
    license: pkg.license ?? 'UNLICENSED',
    keywords: ['strapi', 'strapi-plugin', 'strapi5', 'moat'],
    strapi: { ...pkg.strapi, kind: 'plugin' },
    ...(pkg.moat ? { moat: pkg.moat } : {}),
    exports,
    files: ['dist', '!dist/.tsbuildinfo', ...(pkg.files ?? []).filter((f) => !['dist', '!dist/.tsbuildinfo', 'README.md', 'CHANGELOG.md'].includes(f)), 'README.md', 'CHANGELOG.md'],
    scripts: { ...pkg.scripts, build: 'strapi-plugin build', verify: 'strapi-plugin verify', 'watch:link': 'strapi-plugin watch:link' },
    dependencies: deps,
    devDependencies: { ...(pkg.devDependencies ?? {}), '@strapi/sdk-plugin': SDK, '@strapi/typescript-utils': STRAPI },
    peerDependencies: peers,
    ...(pkg.peerDependenciesMeta ? { peerDependenciesMeta: pkg.peerDependenciesMeta } : {}),
  };
  delete next.private;
  write(file, json(next));
  // declarations: vite-plugin-dts reads <side>/tsconfig.build.json (sdk-plugin's convention)
  write(
    join(dir, 'server', 'tsconfig.build.json'),
    json({
      extends: '@strapi/typescript-utils/tsconfigs/server',
      compilerOptions: { rootDir: '..', outDir: '../dist', strict: true, skipLibCheck: true, resolveJsonModule: true, esModuleInterop: true, noEmit: false },
      include: ['./src/**/*.ts', './src/**/*.json'],
      exclude: ['./src/**/__tests__/**', './src/**/*.test.ts'],
    }),
  );
  if (hasAdmin) {
    write(
      join(dir, 'admin', 'tsconfig.build.json'),
      json({
        extends: '@strapi/typescript-utils/tsconfigs/admin',
        compilerOptions: { rootDir: '..', outDir: '../dist', skipLibCheck: true, resolveJsonModule: true, noEmit: false },
        include: ['./src/**/*.ts', './src/**/*.tsx', './src/**/*.json'],
        exclude: ['./src/**/__tests__/**', './src/**/*.test.ts', './src/**/*.test.tsx'],
      }),
    );
  }
  const title = pkg.strapi.displayName ?? pkg.strapi.name;
  if (!existsSync(join(dir, 'README.md'))) {
    write(join(dir, 'README.md'), `# ${pkg.name}\n\n${pkg.description ?? ''}\n\nA Strapi 5 plugin of Moat. Install and configure: see "Add Moat to your Strapi app" in Moat's README.\n\n\`\`\`sh\nnpm install ${pkg.name}\n\`\`\`\n\n\`config/plugins.ts\`: \`'${pkg.strapi.name}': { enabled: true, config: {} }\` (${title}).\n`);
  }
  if (!existsSync(join(dir, 'CHANGELOG.md'))) write(join(dir, 'CHANGELOG.md'), `# Changelog\n\n## ${next.version}\n\n- First release as an installable Strapi 5 plugin package.\n`);
}

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: node scripts/plugin-package.mjs plugins/<name> [...]');
  process.exit(2);
}
for (const target of targets) convert(resolve(target));
