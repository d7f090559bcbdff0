// Assembles the npm package in pkg/ from the two wasm-pack builds and js/.
//
// Usage: node scripts/assemble.mjs BUILD_DIR
// BUILD_DIR holds `node/` and `web/`, the wasm-pack outputs for the
// `nodejs` and `web` targets, already optimised with wasm-opt.

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = process.argv[2];
if (!build) {
  console.error('usage: node scripts/assemble.mjs BUILD_DIR');
  process.exit(2);
}

const pkg = join(root, 'pkg');
rmSync(pkg, { recursive: true, force: true });
mkdirSync(join(pkg, 'node'), { recursive: true });
mkdirSync(join(pkg, 'web'), { recursive: true });

// The wasm-bindgen glue and module of each target, without wasm-pack's own
// package.json, README and .gitignore.
for (const target of ['node', 'web']) {
  for (const file of ['freeclimb_callstatus.js', 'freeclimb_callstatus_bg.wasm']) {
    cpSync(join(build, target, file), join(pkg, target, file));
  }
}

// One source for the API, wrapped for CommonJS and for ES modules. The
// Standard Schema wrapper is appended to it because it reuses the option
// checks of api.js.
const api = ['api.js', 'standard-schema.js'].map((file) => readFileSync(join(root, 'js', file), 'utf8')).join('\n');
// The handlers in handlers/ reuse the option-name check and the limits of
// the CommonJS build, so that both reject the same options.
const shared = 'createApi, createSchemaApi, acceptedOptions, checkOptionNames, MAX_INPUT_BYTES, MAX_DEPTH_LIMIT';
writeFileSync(join(pkg, 'api.cjs'), `${api}\nmodule.exports = { ${shared} };\n`);
writeFileSync(join(pkg, 'api.mjs'), `${api.replace("'use strict';\n", '')}\nexport { ${shared} };\n`);

cpSync(join(root, 'js', 'node-entry.cjs'), join(pkg, 'node', 'index.cjs'));
cpSync(join(root, 'js', 'web-entry.js'), join(pkg, 'web', 'index.js'));
// wasm-pack's web output is an ES module with a .js name; this tells Node
// and bundlers so.
writeFileSync(join(pkg, 'web', 'package.json'), '{ "type": "module" }\n');
cpSync(join(root, 'js', 'index.d.ts'), join(pkg, 'index.d.ts'));
cpSync(join(root, 'js', 'cli.cjs'), join(pkg, 'cli.cjs'));
chmodSync(join(pkg, 'cli.cjs'), 0o755);
cpSync(join(root, 'js', 'package-readme.md'), join(pkg, 'README.md'));
cpSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version = "([^"]+)"/m.exec(cargo)[1];

const manifest = {
  name: 'freeclimb-callstatus',
  version,
  description: "Validate and verify FreeClimb callStatus webhooks with one Rust implementation compiled to WebAssembly, for Node and browsers",
  license: 'MIT',
  repository: { type: 'git', url: 'git+https://github.com/freeclimb-callstatus/freeclimb-callstatus.git' },
  homepage: 'https://github.com/freeclimb-callstatus/freeclimb-callstatus#readme',
  bugs: { url: 'https://github.com/freeclimb-callstatus/freeclimb-callstatus/issues' },
  keywords: ['freeclimb', 'webhook', 'callstatus', 'validation', 'signature', 'wasm'],
  engines: { node: '>=20' },
  types: './index.d.ts',
  main: './node/index.cjs',
  browser: './web/index.js',
  exports: {
    '.': {
      types: './index.d.ts',
      node: './node/index.cjs',
      browser: './web/index.js',
      default: './web/index.js',
    },
    './package.json': './package.json',
  },
  // npm publish rewrites a bin path with a leading './' and warns, so the
  // path is written as npm stores it.
  bin: { callstatus: 'cli.cjs' },
  files: ['api.cjs', 'api.mjs', 'cli.cjs', 'index.d.ts', 'node/', 'web/', 'README.md', 'LICENSE'],
  sideEffects: false,
};

// Node webhook helpers, one subpath per framework. express and fastify are
// optional peers because the helpers never require them.
cpSync(join(root, 'js', 'handlers'), join(pkg, 'handlers'), { recursive: true });
// TypeScript's node10 resolution, the default of "module": "commonjs",
// ignores "exports", so typesVersions maps each subpath to its declarations
// for it. node16 and bundler resolution read "exports" instead.
manifest.typesVersions = { '*': {} };
for (const helper of ['express', 'fastify', 'http']) {
  manifest.exports[`./${helper}`] = { types: `./handlers/${helper}.d.ts`, default: `./handlers/${helper}.cjs` };
  manifest.typesVersions['*'][helper] = [`handlers/${helper}.d.ts`];
}
manifest.files.push('handlers/');
manifest.peerDependencies = { express: '>=4', fastify: '>=4' };
manifest.peerDependenciesMeta = { express: { optional: true }, fastify: { optional: true } };

// The JSON Schema of the strict rules, for tools that read JSON Schema
// rather than JavaScript.
cpSync(join(root, 'schema', 'callstatus.schema.json'), join(pkg, 'schema.json'));
manifest.exports['./schema.json'] = './schema.json';
manifest.files.push('schema.json');

writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.error(`assembled ${pkg}`);
