// Packs pkg/ with `npm pack`, installs the tarball into an empty folder and
// uses it there as a consumer would: require, import, the browser build,
// the CLI, and TypeScript with --strict.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const validBody = readFileSync(join(root, 'examples', 'payloads', 'completed-inbound.json'), 'utf8');
let workspace;
let consumer;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: consumer, encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return result;
}

before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'callstatus-package-'));
  const output = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', workspace, '--json'], { encoding: 'utf8' });
  const [{ filename }] = JSON.parse(output);

  consumer = join(workspace, 'consumer');
  execFileSync('mkdir', [consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(workspace, filename)], { cwd: consumer, stdio: 'pipe' });
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('tarball holds only the package files', () => {
  const installed = join(consumer, 'node_modules', 'freeclimb-callstatus');
  const files = readdirSync(installed).sort();
  assert.ok(files.includes('package.json'));
  assert.ok(files.includes('index.d.ts'));
  assert.ok(files.includes('node'));
  assert.ok(files.includes('web'));
  assert.ok(!files.includes('src'), 'Rust sources are not shipped');
  assert.ok(readdirSync(join(installed, 'node')).includes('freeclimb_callstatus_bg.wasm'));
});

test('require works in the installed package', () => {
  writeFileSync(join(consumer, 'body.json'), validBody);
  const script = `
    const { validate, parse, ValidationError } = require('freeclimb-callstatus');
    const fs = require('node:fs');
    const report = validate(fs.readFileSync('body.json'));
    let thrown = null;
    try { parse('{}'); } catch (error) { thrown = error instanceof ValidationError ? error.issues.length : 'wrong type'; }
    console.log(JSON.stringify({ valid: report.valid, status: report.payload.callStatus, thrown }));
  `;
  const result = run(process.execPath, ['-e', script]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { valid: true, status: 'completed', thrown: 9 });
});

test('import works in the installed package', () => {
  writeFileSync(
    join(consumer, 'check.mjs'),
    `
    import { validate, init, signPayload, verifySignature } from 'freeclimb-callstatus';
    import callstatus from 'freeclimb-callstatus';
    import { readFileSync } from 'node:fs';
    await init();
    const body = readFileSync('body.json');
    const header = signPayload(body, 'sigsec_test', 1700000000);
    verifySignature(body, header, 'sigsec_test', { now: 1700000000 });
    console.log(JSON.stringify({ named: validate(body).valid, default: callstatus.validate('{}').valid, header: header.slice(0, 13) }));
    `,
  );
  const result = run(process.execPath, ['check.mjs']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { named: true, default: false, header: 't=1700000000,' });
});

test('browser build loads with explicit wasm bytes', () => {
  // Node cannot fetch the .wasm by URL, so the page's init() path is run
  // with the bytes, which wasm-bindgen's init also accepts.
  writeFileSync(
    join(consumer, 'web.mjs'),
    `
    import { readFileSync } from 'node:fs';
    const base = './node_modules/freeclimb-callstatus/web/';
    const web = await import(base + 'index.js');
    let before = 'no error';
    try { web.validate('{}'); } catch (error) { before = error.message; }
    await web.init(readFileSync(new URL(base + 'freeclimb_callstatus_bg.wasm', import.meta.url)));
    console.log(JSON.stringify({ before, valid: web.validate(readFileSync('body.json')).valid }));
    `,
  );
  const result = run(process.execPath, ['web.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.match(output.before, /await init\(\)/);
  assert.equal(output.valid, true);
});

test('CLI runs from node_modules/.bin', () => {
  const valid = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['validate', 'body.json']);
  assert.equal(valid.status, 0, valid.stderr);
  assert.match(valid.stdout, /1 payload checked: 1 valid, 0 invalid/);

  const version = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['--version']);
  assert.match(version.stdout, /^callstatus \d+\.\d+\.\d+\n$/);
});

const typedConsumer = `
import { validate, parse, ValidationError, constructCallStatus, SignatureVerificationError,
  type CallStatusPayload, type FinalCallStatus, type Issue, type ValidationReport } from 'freeclimb-callstatus';

const report: ValidationReport = validate(new Uint8Array([123, 125]), { mode: 'strict', maxBytes: 4096 });
const firstIssue: Issue | undefined = report.errors[0];
const code: string | undefined = firstIssue?.code;

function handle(body: string): FinalCallStatus {
  const payload: CallStatusPayload = parse(body);
  const seconds: number | null = payload.callDuration;
  const reason: string | null = payload.callEndedReason;
  void seconds;
  void reason;
  return payload.callStatus;
}

try {
  constructCallStatus('{}', 't=1,v1=00', 'sigsec_x', { now: new Date(), toleranceSeconds: 60, mode: 'lenient' });
} catch (error) {
  if (error instanceof SignatureVerificationError) {
    const failure: 'missing_header' | 'malformed_header' | 'missing_timestamp' | 'missing_signature'
      | 'timestamp_outside_tolerance' | 'no_matching_signature' | 'empty_secret' | 'empty_body' = error.code;
    void failure;
  } else if (error instanceof ValidationError) {
    const issues: Issue[] = error.issues;
    void issues;
  }
}
void handle;
void code;
`;

function compile(fileName, source, moduleKind) {
  writeFileSync(join(consumer, fileName), source);
  return run(process.execPath, [tsc, '--strict', '--noEmit', '--module', moduleKind, '--moduleResolution', moduleKind, '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), fileName]);
}

test('tsc --strict compiles a CommonJS consumer', () => {
  const result = compile('consumer.ts', typedConsumer, 'node16');
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('tsc --strict compiles an ES module consumer', () => {
  const result = compile('consumer.mts', typedConsumer, 'nodenext');
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('tsc rejects a non-final status as FinalCallStatus', () => {
  // The enumerations are literal unions, so a typo or a non-final value fails to compile.
  const source = `import type { FinalCallStatus, Direction } from 'freeclimb-callstatus';
const status: FinalCallStatus = 'ringing';
const direction: Direction = 'outbound_api';
void status; void direction;
`;
  const result = compile('wrong.ts', source, 'node16');
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /'"ringing"' is not assignable/);
  assert.match(result.stdout, /'"outbound_api"' is not assignable/);
});
