// Compares the current package (pkg/) with an older build of it, side by
// side in one process, on the benchmark bodies: the before-and-after
// numbers of the performance work.
//
// Usage: node bench/before-after.mjs OLD_PKG_DIR
// where OLD_PKG_DIR is the pkg/ folder of an older checkout, for example:
//   git worktree add /tmp/before 15c372e && make -C /tmp/before pkg
//   node bench/before-after.mjs /tmp/before/pkg

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { compareRates, checksum } from './harness.mjs';
import { describeMachine } from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const oldDir = process.argv[2];
if (!oldDir) {
  console.error('usage: node bench/before-after.mjs OLD_PKG_DIR');
  process.exit(2);
}

const after = require(join(root, 'pkg', 'node', 'index.cjs'));
const before = require(join(resolve(oldDir), 'node', 'index.cjs'));

const valid = readFileSync(join(root, 'bench', 'bodies', 'valid.json'));
const invalid = readFileSync(join(root, 'bench', 'bodies', 'invalid.json'));
const secret = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';
const now = 1700000000;
const header = after.signPayload(valid, secret, now);
const strict = { mode: 'strict' };
const settings = { warmupMs: 500, windowMs: 300, runs: 7 };

// Both builds must agree before their speed is compared.
for (const body of [valid, invalid]) {
  const verdicts = [after.validate(body, strict).valid, before.validate(body, strict).valid];
  if (verdicts[0] !== verdicts[1]) throw new Error(`the builds disagree on a body: ${verdicts}`);
}

const rows = [
  ['validate(Buffer), valid body', (api) => () => (api.validate(valid, strict).valid ? 1 : 0)],
  ['validate(Buffer), invalid body', (api) => () => api.validate(invalid, strict).errors.length],
  ['constructCallStatus, signed valid body', (api) => () => api.constructCallStatus(valid, header, secret, { now, mode: 'strict' }).callDuration],
];

const machine = describeMachine(root);
console.log(`Command: \`node bench/before-after.mjs ${oldDir}\``);
console.log('');
console.log(`- Date: ${machine.date}, commit ${machine.commit}`);
console.log(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}; load average ${machine.loadAverage.toFixed(2)}`);
console.log(`- Old build: ${resolve(oldDir)}; new build: pkg/. Median of ${settings.runs} alternating windows of ${settings.windowMs} ms.`);
console.log('');
console.log('| measurement | before | after | speed-up |');
console.log('|---|--:|--:|--:|');
for (const [name, make] of rows) {
  const result = compareRates(make(after), make(before), settings);
  const format = (rate) => `${Math.round(rate).toLocaleString('en-US')} ops/s`;
  console.log(`| ${name} | ${format(result.theirs)} | ${format(result.ours)} | ${(result.ours / result.theirs).toFixed(2)}x |`);
}
console.error(`checksum ${checksum()}`);
