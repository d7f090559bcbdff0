// Checks that both packages are ready to publish: the exact file lists of
// the npm package in pkg/ (from `npm publish --dry-run`) and of the Rust
// crate (from `cargo package --list`), and their metadata. When a file is
// added to either package on purpose, add it to the expected list here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { PACKAGE_DIR, ROOT } from './helpers/package.mjs';

const EXPECTED_NPM_FILES = [
  'LICENSE',
  'README.md',
  'api.cjs',
  'api.mjs',
  'cli.cjs',
  'handlers/common.cjs',
  'handlers/common.d.ts',
  'handlers/express.cjs',
  'handlers/express.d.ts',
  'handlers/fastify.cjs',
  'handlers/fastify.d.ts',
  'handlers/http.cjs',
  'handlers/http.d.ts',
  'index.d.ts',
  'node/freeclimb_callstatus.js',
  'node/freeclimb_callstatus_bg.wasm',
  'node/index.cjs',
  'package.json',
  'schema.json',
  'web/freeclimb_callstatus.js',
  'web/freeclimb_callstatus_bg.wasm',
  'web/index.js',
  'web/package.json',
];

// The crate's files besides src/**/*.rs, which are all expected. Cargo adds
// Cargo.toml.orig (the manifest as written) and Cargo.lock itself.
const EXPECTED_CRATE_FILES = [
  'Cargo.lock',
  'Cargo.toml',
  'Cargo.toml.orig',
  'LICENSE',
  'README.md',
  'bench/bodies/invalid.json',
  'schema/callstatus.schema.json',
];

const REPOSITORY_URL = 'https://github.com/freeclimb-callstatus/freeclimb-callstatus';

let workspace;
let published;
let publishWarnings;
let manifest;

/** Returns "missing: …" and "unexpected: …" lines for two file lists, or ''. */
function describeDifference(actual, expected) {
  const missing = expected.filter((file) => !actual.includes(file));
  const unexpected = actual.filter((file) => !expected.includes(file));
  const lines = [];
  if (missing.length > 0) lines.push(`missing: ${missing.join(', ')}`);
  if (unexpected.length > 0) lines.push(`unexpected: ${unexpected.join(', ')}`);
  return lines.join('\n');
}

/** Lists the files under a folder, recursively, as paths relative to ROOT. */
function listFiles(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath ?? entry.path, entry.name)));
}

/** Reads a `key = "value"` line of the [package] table of Cargo.toml. */
function cargoField(cargo, key) {
  const table = /^\[package\]\n([\s\S]*?)(?=^\[)/m.exec(cargo)[1];
  return new RegExp(`^${key} = (.+)$`, 'm').exec(table)?.[1];
}

let crateFiles;

/** Returns the files of `cargo package --list`, run once. */
function cargoPackageList() {
  crateFiles ??= runCargoPackageList().split('\n').filter((line) => line !== '');
  return crateFiles;
}

function runCargoPackageList() {
  try {
    return execFileSync('cargo', ['package', '--list', '--allow-dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error('cargo is not on PATH: run the tests through `make test-node`, which adds ~/.cargo/bin');
    throw error;
  }
}

before(() => {
  // npm publish rewrites package.json in place when it has to correct it,
  // so the dry run works on a copy and leaves the shared pkg/ alone.
  workspace = mkdtempSync(join(tmpdir(), 'callstatus-publish-'));
  const copy = join(workspace, 'pkg');
  cpSync(PACKAGE_DIR, copy, { recursive: true });
  manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));

  // --offline keeps the dry run from asking the registry anything.
  const result = spawnSync('npm', ['publish', '--dry-run', '--json', '--offline'], { cwd: copy, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm publish --dry-run failed:\n${result.stderr}`);
  published = JSON.parse(result.stdout)['freeclimb-callstatus'];
  publishWarnings = result.stderr;
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('npm file list is exact', () => {
  const files = published.files.map((file) => file.path).sort();
  assert.deepEqual(files, [...EXPECTED_NPM_FILES].sort(), describeDifference(files, EXPECTED_NPM_FILES));
});

test('npm publish needs no corrections', () => {
  assert.doesNotMatch(publishWarnings, /auto-corrected|errors corrected/);
});

test('npm metadata is complete', () => {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  assert.equal(manifest.name, 'freeclimb-callstatus');
  assert.equal(manifest.version, JSON.parse(cargoField(cargo, 'version')));
  assert.equal(published.version, manifest.version);
  assert.equal(manifest.license, 'MIT');
  assert.ok(manifest.description.length > 20, 'description is missing or too short');
  assert.ok(manifest.keywords.includes('freeclimb'));
  assert.deepEqual(manifest.repository, { type: 'git', url: `git+${REPOSITORY_URL}.git` });
  assert.equal(manifest.homepage, `${REPOSITORY_URL}#readme`);
  assert.deepEqual(manifest.bugs, { url: `${REPOSITORY_URL}/issues` });
  assert.equal(manifest.engines.node, '>=20');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.private, undefined);
});

test('every manifest path is packed', () => {
  const files = published.files.map((file) => file.path);
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect([manifest.main, manifest.browser, manifest.types, manifest.bin, manifest.exports]);
  assert.ok(targets.length > 10, `only ${targets.length} paths found in package.json`);
  for (const target of targets) {
    assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} is named in package.json but not packed`);
  }
});

test('LICENSE and README are shipped', () => {
  assert.equal(readFileSync(join(PACKAGE_DIR, 'LICENSE'), 'utf8'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  assert.equal(readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8'), readFileSync(join(ROOT, 'js', 'package-readme.md'), 'utf8'));
});

test('crate file list is exact', () => {
  // Cargo writes .cargo_vcs_info.json only inside a git checkout.
  const files = cargoPackageList()
    .filter((file) => file !== '.cargo_vcs_info.json')
    .sort();
  const sources = listFiles(join(ROOT, 'src')).filter((file) => file.endsWith('.rs'));
  const expected = [...EXPECTED_CRATE_FILES, ...sources].sort();
  assert.deepEqual(files, expected, describeDifference(files, expected));
});

test('crate packs files embedded by src', () => {
  // include_str! and include_bytes! paths are relative to the source file.
  // A path left out of `include` in Cargo.toml breaks the published crate
  // while every build in this repository still works.
  const files = cargoPackageList();
  const embedded = [];
  for (const source of listFiles(join(ROOT, 'src')).filter((file) => file.endsWith('.rs'))) {
    const text = readFileSync(join(ROOT, source), 'utf8');
    for (const match of text.matchAll(/include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)/g)) {
      embedded.push({ source, path: relative(ROOT, join(ROOT, dirname(source), match[1])) });
    }
  }
  for (const { source, path } of embedded) {
    assert.ok(files.includes(path), `${source} embeds ${path}, which the crate leaves out: add it to \`include\` in Cargo.toml`);
  }
});

test('crate metadata is complete', () => {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  assert.ok(JSON.parse(cargoField(cargo, 'description')).length > 20, 'description is missing or too short');
  assert.equal(cargoField(cargo, 'license'), '"MIT"');
  assert.equal(cargoField(cargo, 'repository'), `"${REPOSITORY_URL}"`);
  assert.equal(cargoField(cargo, 'documentation'), '"https://docs.rs/freeclimb-callstatus"');
  assert.equal(cargoField(cargo, 'readme'), '"README.md"');
  // crates.io accepts at most five keywords.
  const keywords = JSON.parse(cargoField(cargo, 'keywords'));
  assert.ok(keywords.length >= 1, 'keywords are missing');
  assert.ok(keywords.length <= 5, `${keywords.length} keywords`);
  assert.ok(JSON.parse(cargoField(cargo, 'categories')).length >= 1, 'categories are missing');
});
