// Uses the installed tarball in Chromium the two ways a web app does:
// bundled by Vite 7, and imported as is by a module Web Worker. Both are
// served by scripts/serve.mjs, which sends the inspector's
// Content-Security-Policy, so the tests also show that the package runs
// under that policy (no eval, the .wasm fetched from the same origin).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ROOT } from '../js/helpers/package.mjs';
import { installTarball } from '../js/helpers/tarball.mjs';
import { launchBrowser } from './harness.mjs';

const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const VALID_BODY = readFileSync(join(ROOT, 'examples', 'payloads', 'completed-inbound.json'), 'utf8');
const INVALID_BODY = readFileSync(join(ROOT, 'examples', 'payloads', 'invalid-ids-and-caller.json'), 'utf8');

// Both apps read the payload from the URL fragment and write the verdict
// into #verdict, whose data-verdict stays "pending" until then. The empty
// icon keeps Chromium from requesting /favicon.ico, a 404 it would log as
// a console error.
const PAGE = (script) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>callStatus consumer</title><link rel="icon" href="data:,"></head>
<body>
<output id="verdict" data-verdict="pending">pending</output>
<script type="module" src="${script}"></script>
</body>
</html>
`;

const VITE_MAIN = `
import { init, validate } from 'freeclimb-callstatus';

const output = document.getElementById('verdict');
try {
  await init();
  const report = validate(decodeURIComponent(location.hash.slice(1)));
  output.dataset.codes = report.errors.map((issue) => issue.code).join(' ');
  output.textContent = report.valid ? 'valid: ' + report.payload.callStatus : 'invalid: ' + output.dataset.codes;
  output.dataset.verdict = report.valid ? 'valid' : 'invalid';
} catch (error) {
  output.textContent = String(error);
  output.dataset.verdict = 'error';
}
`;

const WORKER_PAGE = `
const output = document.getElementById('verdict');
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => {
  output.dataset.report = JSON.stringify(data);
  output.textContent = data.verdict;
  output.dataset.verdict = data.verdict;
};
worker.onerror = (event) => {
  output.textContent = event.message;
  output.dataset.verdict = 'error';
};
worker.postMessage(decodeURIComponent(location.hash.slice(1)));
`;

/** The worker's module, importing the package from `entry`, a URL path. */
const WORKER = (entry) => `
import { init, validate } from '${entry}';

let beforeInit = 'no error';
try {
  validate('{}');
} catch (error) {
  beforeInit = error.message;
}
const ready = init();

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const report = validate(data);
    self.postMessage({
      verdict: report.valid ? 'valid' : 'invalid',
      codes: report.errors.map((issue) => issue.code),
      callStatus: report.payload?.callStatus ?? null,
      beforeInit,
    });
  } catch (error) {
    self.postMessage({ verdict: 'error', message: String(error) });
  }
};
`;

let tarball;
let viteOutput;
let viteServer;
let staticServer;
let browser;
const responses = [];

before(async () => {
  tarball = installTarball('callstatus-browser-consumer-');
  const { consumer, installed } = tarball;

  const app = join(consumer, 'vite-app');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), PAGE('./main.js'));
  writeFileSync(join(app, 'main.js'), VITE_MAIN);
  const build = spawnSync(process.execPath, [VITE, 'build', app, '--logLevel', 'warn'], { cwd: consumer, encoding: 'utf8' });
  if (build.error) throw build.error;
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}${build.stderr}`);
  viteOutput = build.stdout + build.stderr;

  // A page without a bundler cannot use the bare name, and Chromium has
  // no import maps in workers, so the worker imports the file that the
  // package's exports map gives browsers.
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const browserEntry = manifest.exports['.'].browser.replace(/^\.\//, '');
  const workerFolder = join(consumer, 'worker');
  mkdirSync(workerFolder);
  writeFileSync(join(workerFolder, 'index.html'), PAGE('./page.js'));
  writeFileSync(join(workerFolder, 'page.js'), WORKER_PAGE);
  writeFileSync(join(workerFolder, 'worker.js'), WORKER(`/node_modules/freeclimb-callstatus/${browserEntry}`));

  viteServer = await startServer({ port: 0, wwwRoot: join(app, 'dist') });
  staticServer = await startServer({ port: 0, wwwRoot: consumer });
  browser = await launchBrowser();
  browser.context.on('response', (response) => {
    responses.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] });
  });
});

after(async () => {
  await browser?.close();
  await viteServer?.close();
  await staticServer?.close();
  tarball?.remove();
});

/** Opens `url` with `body` as the fragment and returns #verdict once it is set. */
async function openWithPayload(url, body) {
  const page = await browser.context.newPage();
  await page.goto(`${url}#${encodeURIComponent(body)}`);
  const verdict = await page.waitForSelector('#verdict:not([data-verdict="pending"])', { timeout: 10000 });
  const result = {
    verdict: await verdict.getAttribute('data-verdict'),
    text: await verdict.textContent(),
    codes: await verdict.getAttribute('data-codes'),
    report: JSON.parse((await verdict.getAttribute('data-report')) ?? 'null'),
  };
  await page.close();
  return result;
}

test('vite build prints no warnings', () => {
  assert.equal(viteOutput, '');
});

test('vite build emits the wasm', () => {
  const assets = join(tarball.consumer, 'vite-app', 'dist', 'assets');
  const wasm = readdirSync(assets).filter((file) => file.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `expected one .wasm in ${readdirSync(assets).join(', ')}`);
  const emitted = readFileSync(join(assets, wasm[0]));
  const shipped = readFileSync(join(tarball.installed, 'web', 'freeclimb_callstatus_bg.wasm'));
  assert.ok(emitted.equals(shipped), 'the emitted .wasm differs from the package one');
});

test('vite app accepts a valid payload', async () => {
  const result = await openWithPayload(viteServer.url, VALID_BODY);
  assert.equal(result.verdict, 'valid', result.text);
  assert.equal(result.text, 'valid: completed');
});

test('vite app rejects an invalid payload', async () => {
  const result = await openWithPayload(viteServer.url, INVALID_BODY);
  assert.equal(result.verdict, 'invalid', result.text);
  assert.equal(result.codes, 'invalid_id invalid_id');
});

test('vite app loads the emitted wasm', () => {
  const wasm = responses.filter((response) => response.url.startsWith(viteServer.url) && response.url.endsWith('.wasm'));
  assert.ok(wasm.length >= 1, 'the page requested no .wasm');
  for (const response of wasm) {
    assert.match(response.url, /\/assets\/freeclimb_callstatus_bg-[\w-]+\.wasm$/);
    assert.equal(response.status, 200);
    // wasm-bindgen compiles the module while it downloads only with this
    // type. With another it warns and falls back to a slower path.
    assert.equal(response.type, 'application/wasm');
  }
});

test('worker accepts a valid payload', async () => {
  const result = await openWithPayload(`${staticServer.url}worker/index.html`, VALID_BODY);
  assert.equal(result.verdict, 'valid', result.text);
  assert.equal(result.report.callStatus, 'completed');
});

test('worker rejects an invalid payload', async () => {
  const result = await openWithPayload(`${staticServer.url}worker/index.html`, INVALID_BODY);
  assert.equal(result.verdict, 'invalid', result.text);
  assert.deepEqual(result.report.codes, ['invalid_id', 'invalid_id']);
});

test('worker needs init before validate', async () => {
  const result = await openWithPayload(`${staticServer.url}worker/index.html`, VALID_BODY);
  assert.match(result.report.beforeInit, /await init\(\)/);
});

test('worker loads the package wasm', () => {
  const wasmUrl = `${staticServer.url}node_modules/freeclimb-callstatus/web/freeclimb_callstatus_bg.wasm`;
  const wasm = responses.filter((response) => response.url === wasmUrl);
  assert.ok(wasm.length >= 1, `no request for ${wasmUrl}`);
  assert.equal(wasm[0].status, 200);
  assert.equal(wasm[0].type, 'application/wasm');
});

test('no console errors or foreign requests', () => {
  assert.deepEqual(browser.consoleProblems, []);
  const origins = [new URL(viteServer.url).origin, new URL(staticServer.url).origin];
  const foreign = browser.requests.filter((request) => !origins.some((origin) => request.url.startsWith(`${origin}/`)));
  assert.deepEqual(foreign, []);
});
