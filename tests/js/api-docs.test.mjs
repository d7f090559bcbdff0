// Checks the examples in docs/API.md against the built package. Every ```ts
// and ```js block is compiled with tsc --strict in a folder where
// `freeclimb-callstatus` resolves to pkg/. Blocks whose info string ends in
// "run" (```ts run, ```sh run) are also run there and must exit with 0.
// The ```ts blocks of the migration note are compiled too; its ```js block
// shows FreeClimb's SDK, which is not installed here.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createPackageSandbox, requireFromRoot, ROOT } from './helpers/package.mjs';

const ts = requireFromRoot('typescript');

const doc = readFileSync(join(ROOT, 'docs', 'API.md'), 'utf8');
const migrationDoc = readFileSync(join(ROOT, 'docs', 'migrating-from-freeclimb-sdk.md'), 'utf8');

const RUN_TIMEOUT_MS = 20_000;

/** Extracts every fenced block with its language, whether it runs, its code and its line in the doc. */
function extractBlocks(markdown, prefix) {
  const blocks = [];
  const fence = /^```(\w+)( run)?\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ prefix, language: match[1], runs: match[2] !== undefined, code: match[3], line });
  }
  return blocks;
}

const blocks = extractBlocks(doc, 'api');
const compiled = [
  ...blocks.filter((block) => block.language === 'ts' || block.language === 'js'),
  ...extractBlocks(migrationDoc, 'migrating').filter((block) => block.language === 'ts'),
];

/** Returns the file name of a block: an ES module for TypeScript, CommonJS for JavaScript, as the doc writes them. */
function fileName(block) {
  return `${block.prefix}-line-${block.line}.${block.language === 'ts' ? 'mts' : 'cjs'}`;
}

describe('docs/API.md examples', { timeout: 120_000 }, () => {
  let sandbox;

  before(() => {
    sandbox = createPackageSandbox();
    const modules = join(sandbox.folder, 'node_modules');
    // The frameworks the examples import resolve from the sandbox as they would in an app.
    for (const name of ['express', 'fastify', 'hono', '@hono', '@standard-schema', '@types']) {
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
    }
    mkdirSync(join(modules, '.bin'));
    symlinkSync(join(ROOT, 'pkg', 'cli.cjs'), join(modules, '.bin', 'callstatus'));
    copyFileSync(join(ROOT, 'examples', 'payloads', 'completed-inbound.json'), join(sandbox.folder, 'body.json'));

    for (const block of compiled) writeFileSync(join(sandbox.folder, fileName(block)), block.code);
  });

  after(() => sandbox.remove());

  test('doc has compiled and runnable blocks', () => {
    assert.ok(compiled.length >= 10, `found ${compiled.length} ts/js blocks`);
    assert.ok(blocks.filter((block) => block.runs).length >= 5);
  });

  test('tsc --strict compiles every block', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = [
      '--noEmit', '--strict', '--allowJs', '--checkJs', '--resolveJsonModule',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'),
    ];
    const result = spawnSync(process.execPath, [tsc, ...flags, ...compiled.map(fileName)], { cwd: sandbox.folder, encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  for (const block of blocks.filter((entry) => entry.runs)) {
    test(`${block.language} block at line ${block.line} runs`, () => {
      const result = runBlock(sandbox.folder, block);
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    });
  }
});

/** Runs one block in `folder`: TypeScript stripped of its types by ts.transpileModule, shell with bash. */
function runBlock(folder, block) {
  const options = { cwd: folder, encoding: 'utf8', timeout: RUN_TIMEOUT_MS };
  if (block.language === 'sh') {
    const path = `${join(folder, 'node_modules', '.bin')}:${process.env.PATH}`;
    return spawnSync('bash', ['-c', block.code], { ...options, env: { ...process.env, PATH: path } });
  }
  if (block.language === 'ts') {
    const { outputText } = ts.transpileModule(block.code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const file = join(folder, `run-${block.prefix}-line-${block.line}.mjs`);
    writeFileSync(file, outputText);
    return spawnSync(process.execPath, [file], options);
  }
  return spawnSync(process.execPath, [join(folder, fileName(block))], options);
}

describe('docs/API.md coverage', () => {
  test('names every export of the package', () => {
    const api = requireFromRoot('./pkg/node/index.cjs');
    const missing = Object.keys(api).filter((name) => !doc.includes(`\`${name}\``) && !doc.includes(`## ${name}`));
    assert.deepEqual(missing, []);
  });

  test('names every subpath of the package', () => {
    const manifest = requireFromRoot('./pkg/package.json');
    const subpaths = Object.keys(manifest.exports).filter((key) => key !== '.' && key !== './package.json');
    const missing = subpaths.filter((key) => !doc.includes(`freeclimb-callstatus${key.slice(1)}`));
    assert.deepEqual(missing, []);
  });

  for (const helper of ['express', 'fastify', 'http']) {
    test(`names every export of ./${helper}`, () => {
      const exports = requireFromRoot(`./pkg/handlers/${helper}.cjs`);
      const missing = Object.keys(exports).filter((name) => !doc.includes(`\`${name}\``) && !doc.includes(`\`${name}(`));
      assert.deepEqual(missing, []);
    });
  }

  test('sh example prints a JSON report', () => {
    const block = blocks.find((entry) => entry.language === 'sh' && entry.runs);
    assert.ok(block, 'the CLI section has a runnable example');
    const sandbox = createPackageSandbox();
    try {
      mkdirSync(join(sandbox.folder, 'node_modules', '.bin'));
      symlinkSync(join(ROOT, 'pkg', 'cli.cjs'), join(sandbox.folder, 'node_modules', '.bin', 'callstatus'));
      const output = execFileSync('bash', ['-c', block.code], {
        cwd: sandbox.folder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: `${join(sandbox.folder, 'node_modules', '.bin')}:${process.env.PATH}` },
      });
      assert.match(output, /"code":"invalid_id"/);
      assert.match(output, /exit status 1/);
    } finally {
      sandbox.remove();
    }
  });
});
