// Benchmarks the built package (pkg/) side by side with what a Node handler
// would otherwise use: JSON.parse with ajv, zod or valibot, and node:crypto.
// Prints a markdown table for BENCHMARKS.md. Run `node bench/run.mjs --help`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import {
  constructWithNodeCrypto,
  validateNdjsonPerLine,
  validateNdjsonWithAjv,
  validateWithAjv,
  verifyWithNodeCrypto,
} from './baselines.mjs';
import { checksum, compareBulk, compareRates, median } from './harness.mjs';
import { INVALID_EVERY, makeNdjson, measureColdStart, runCli, writeNdjsonFile } from './processes.mjs';
import { describeMachine, formatValue, markdownReport } from './report.mjs';
import { compileAjv, valibotSafeParse, zodSchema } from './schemas.mjs';

const USAGE = `Usage: node bench/run.mjs [--quick] [--big] [--json --out FILE]

Benchmarks pkg/ (build it first with make pkg) against JSON.parse with ajv,
zod and valibot, and node:crypto. Prints a markdown table on stdout and
progress on stderr.

Options:
  --quick     short windows and small files, to check the bench itself (about 10 s)
  --big       run the CLI on a 1 GB generated log instead of 200 MB
  --json      also write the results as JSON to the file given by --out
  --out FILE  where --json writes
  -h, --help  show this help`;

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const SECRET = 'sigsec_benchmark_secret';
// A fixed signing time, passed as `now` too, so the tolerance check always passes.
const SIGNED_AT = 1_700_000_000;
const STRICT = Object.freeze({ mode: 'strict' });
const MB = 1e6;

const WASM_MAX_RAW_BYTES = 61_440;
const WASM_MAX_GZIP_BYTES = 25_600;
const COLD_START_TARGET_MS = 10;

function parseArguments(argv) {
  const options = { quick: false, big: false, json: false, out: undefined, help: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--quick') options.quick = true;
    else if (argument === '--big') options.big = true;
    else if (argument === '--json') options.json = true;
    else if (argument === '--out') options.out = argv[++index];
    else if (argument.startsWith('--out=')) options.out = argument.slice('--out='.length);
    else if (argument === '-h' || argument === '--help') options.help = true;
    else throw new Error(`unknown option "${argument}": see node bench/run.mjs --help`);
  }
  if (options.json && !options.out) throw new Error('--json needs --out FILE: the file to write the results to');
  return options;
}

function settingsFor(options) {
  if (options.quick) {
    return { quick: true, runs: 3, windowMs: 100, warmupMs: 100, bulkRuns: 2, bulkBytes: 2 * MB, coldStarts: 5, cliBytes: 20 * MB, cliRuns: 1 };
  }
  return {
    quick: false,
    runs: 7,
    windowMs: 300,
    warmupMs: 500,
    bulkRuns: 9,
    bulkBytes: 10 * MB,
    coldStarts: 21,
    cliBytes: options.big ? 1000 * MB : 200 * MB,
    cliRuns: options.big ? 1 : 3,
  };
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

function loadPackage() {
  try {
    return require('../pkg/node/index.cjs');
  } catch (error) {
    throw new Error(`cannot load pkg/node/index.cjs (${error.message}): build the package first with make pkg`);
  }
}

/** Loads the two bodies and signs the valid one: the inputs of every benchmark. */
function loadInputs(callstatus) {
  // The same two bodies as the Rust benchmark in benches/validator.rs.
  const validText = readFileSync(join(root, 'bench', 'bodies', 'valid.json'), 'utf8');
  const invalidText = readFileSync(join(root, 'bench', 'bodies', 'invalid.json'), 'utf8');
  const validBytes = Buffer.from(validText);
  return {
    validText,
    invalidText,
    validBytes,
    invalidBytes: Buffer.from(invalidText),
    validObject: JSON.parse(validText),
    invalidObject: JSON.parse(invalidText),
    header: callstatus.signPayload(validBytes, SECRET, SIGNED_AT),
  };
}

/** Fails the run when a validator gets a verdict wrong, since its timings would then mean nothing. */
function expectVerdict(name, actual, expected) {
  if (actual !== expected) {
    throw new Error(`${name} returns ${actual ? 'valid' : 'invalid'} for the ${expected ? 'valid' : 'invalid'} body`);
  }
}

function checkVerdicts(context) {
  const { callstatus, check, inputs } = context;
  expectVerdict('validate', callstatus.validate(inputs.validBytes, STRICT).valid, true);
  expectVerdict('validate', callstatus.validate(inputs.invalidBytes, STRICT).valid, false);
  expectVerdict('ajv', check(inputs.validObject), true);
  expectVerdict('ajv', check(inputs.invalidObject), false);
  expectVerdict('zod', zodSchema.safeParse(inputs.validObject).success, true);
  expectVerdict('zod', zodSchema.safeParse(inputs.invalidObject).success, false);
  expectVerdict('valibot', valibotSafeParse(inputs.validObject).success, true);
  expectVerdict('valibot', valibotSafeParse(inputs.invalidObject).success, false);
  // Both throw when the signature or the body does not pass.
  constructWithNodeCrypto(check, inputs.validBytes, inputs.header, SECRET, SIGNED_AT);
  callstatus.constructCallStatus(inputs.validBytes, inputs.header, SECRET, { now: SIGNED_AT, mode: 'strict' });
}

/** Lists corpus cases where zod or valibot disagrees with ajv, as a check that the three schemas match. */
function schemaDisagreements(check) {
  const corpus = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'corpus.json'), 'utf8'));
  const disagreements = [];
  for (const entry of corpus.cases) {
    const text = entry.body ?? Buffer.from(entry.bodyBase64, 'base64').toString('utf8');
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const expected = check(value);
    if (zodSchema.safeParse(value).success !== expected) disagreements.push(`zod: ${entry.name}`);
    if (valibotSafeParse(value).success !== expected) disagreements.push(`valibot: ${entry.name}`);
  }
  return disagreements;
}

/** Records a side-by-side measurement; a `minimum` ratio makes it a target. */
function recordRatio(context, id, label, baseline, pair, unit, target, minimum) {
  const ratio = pair.ours / pair.theirs;
  const met = minimum === undefined ? undefined : ratio >= minimum;
  const row = { id, label, ours: pair.ours, baseline, theirs: pair.theirs, unit, ratio, target, met };
  context.measurements.push(row);
  progress(`${label}: ${formatValue(pair.ours, unit)} vs ${baseline} ${formatValue(pair.theirs, unit)} (${formatValue(ratio, 'x')})`);
  return row;
}

/** Raw bytes in, verdict out: the path every webhook handler takes. */
function benchmarkValidation(context) {
  const { callstatus, check, inputs, settings } = context;
  const ours = (bytes) => () => {
    const report = callstatus.validate(bytes, STRICT);
    return report.valid ? 1 : report.errors.length;
  };
  const withAjv = (bytes) => () => {
    const report = validateWithAjv(check, bytes);
    return report.valid ? 1 : report.errors.length;
  };
  const withZod = (bytes) => () => {
    const result = zodSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return result.success ? 1 : result.error.issues.length;
  };
  const withValibot = (bytes) => () => {
    const result = valibotSafeParse(JSON.parse(bytes.toString('utf8')));
    return result.success ? 1 : result.issues.length;
  };

  const rows = {};
  const baselines = [
    ['ajv', 'JSON.parse + ajv', withAjv, 2],
    ['zod', 'JSON.parse + zod', withZod, 5],
    ['valibot', 'JSON.parse + valibot', withValibot, 5],
  ];
  for (const [name, baseline, theirs, minimum] of baselines) {
    for (const [kind, bytes] of [['valid', inputs.validBytes], ['invalid', inputs.invalidBytes]]) {
      const pair = compareRates(ours(bytes), theirs(bytes), settings);
      rows[`${name}-${kind}`] = recordRatio(context, `${name}-${kind}`, `validate(Buffer), ${kind} body`, baseline, pair, 'ops/s', `≥ ${minimum}x`, minimum);
    }
  }

  // A slow error path would let a flood of bad requests cost more than good ones.
  const slowdowns = [
    ['slowdown-ours', 'validate(Buffer)', rows['ajv-valid'].ours, rows['ajv-invalid'].ours, 2],
    ['slowdown-ajv', 'JSON.parse + ajv', rows['ajv-valid'].theirs, rows['ajv-invalid'].theirs, undefined],
  ];
  for (const [id, name, valid, invalid, maximum] of slowdowns) {
    const slowdown = valid / invalid;
    context.measurements.push({
      id,
      label: `invalid-body slowdown: ${name}`,
      ours: invalid,
      baseline: 'the same on the valid body',
      theirs: valid,
      unit: 'ops/s',
      ratio: slowdown,
      target: maximum === undefined ? undefined : `≤ ${maximum}x`,
      met: maximum === undefined ? undefined : slowdown <= maximum,
    });
    progress(`${name}: the invalid body takes ${formatValue(slowdown, 'x')} the time of the valid body`);
  }
  return rows['ajv-valid'].ours;
}

/** constructCallStatus against node:crypto + ajv, then each half alone. */
function benchmarkSignature(context, validateRate) {
  const { callstatus, check, inputs, settings } = context;
  const options = { now: SIGNED_AT, mode: 'strict' };

  const construct = () => callstatus.constructCallStatus(inputs.validBytes, inputs.header, SECRET, options).callDuration;
  const constructNode = () => constructWithNodeCrypto(check, inputs.validBytes, inputs.header, SECRET, SIGNED_AT).callDuration.length;
  const pair = compareRates(construct, constructNode, settings);
  recordRatio(context, 'construct', 'constructCallStatus, signed valid body', 'node:crypto HMAC + timingSafeEqual + JSON.parse + ajv', pair, 'ops/s', '≥ 1.5x', 1.5);

  const verify = () => {
    callstatus.verifySignature(inputs.validBytes, inputs.header, SECRET, { now: SIGNED_AT });
    return 1;
  };
  const verifyNode = () => verifyWithNodeCrypto(inputs.validBytes, inputs.header, SECRET, SIGNED_AT) & 1;
  recordRatio(context, 'verify', 'verifySignature alone', 'node:crypto HMAC + timingSafeEqual', compareRates(verify, verifyNode, settings), 'ops/s');
  context.measurements.push({ id: 'validate', label: 'validate(Buffer) alone, valid body', ours: validateRate, unit: 'ops/s' });
}

/** Already-parsed objects: ajv reads the object, while the package serialises it and validates the text. */
function benchmarkObjectPath(context) {
  const { callstatus, check, inputs, settings } = context;
  const ours = (value) => () => {
    const report = callstatus.validate(value, STRICT);
    return report.valid ? 1 : report.errors.length;
  };
  const withAjv = (value) => () => (check(value) ? 1 : check.errors.length);
  for (const [kind, value] of [['valid', inputs.validObject], ['invalid', inputs.invalidObject]]) {
    const pair = compareRates(ours(value), withAjv(value), settings);
    recordRatio(context, `object-${kind}`, `validate(object), ${kind} body`, 'ajv on the object', pair, 'ops/s');
  }
}

/**
 * Bulk NDJSON in one call, against a JSON.parse + ajv loop over the lines:
 * a log with one invalid line in INVALID_EVERY, which carries the target,
 * and an all-valid log that shows what the invalid lines cost.
 */
function benchmarkBulk(context) {
  const { callstatus, check, inputs, settings } = context;
  const hasValidateMany = typeof callstatus.validateMany === 'function';
  const name = hasValidateMany ? 'validateMany' : 'validate() per line (validateMany not in this build)';

  const logs = [
    ['bulk', `1 line in ${INVALID_EVERY} invalid`, INVALID_EVERY, 3],
    ['bulk-all-valid', 'all lines valid', 0, undefined],
  ];
  for (const [id, mix, invalidEvery, minimum] of logs) {
    const ndjson = makeNdjson(inputs.validText, inputs.invalidText, settings.bulkBytes, invalidEvery);
    const ours = hasValidateMany
      ? () => callstatus.validateMany(ndjson.buffer, STRICT)
      : () => validateNdjsonPerLine(callstatus.validate, ndjson.buffer, STRICT);
    const theirs = () => validateNdjsonWithAjv(check, ndjson.buffer);

    // Both must count the same lines and the same invalid ones, or the rates compare different work.
    const oursSummary = ours();
    const theirSummary = theirs();
    if (oursSummary.total !== ndjson.lines || theirSummary.total !== ndjson.lines || oursSummary.invalid !== theirSummary.invalid) {
      throw new Error(
        `bulk results differ: ${ndjson.lines} lines, ours ${oursSummary.total} with ${oursSummary.invalid} invalid, ajv ${theirSummary.total} with ${theirSummary.invalid} invalid`,
      );
    }

    const seconds = compareBulk(() => ours().reports.length, () => theirs().reports.length, settings.bulkRuns);
    const megabytes = ndjson.buffer.length / MB;
    const rates = { ours: megabytes / seconds.ours, theirs: megabytes / seconds.theirs };
    const label = `${name}, ${megabytes.toFixed(1)} MB NDJSON, ${mix}`;
    recordRatio(context, id, label, 'per-line JSON.parse + ajv', rates, 'MB/s', minimum === undefined ? undefined : `≥ ${minimum}x`, minimum);
  }
  if (!hasValidateMany) {
    context.notes.push('pkg/ has no validateMany yet, so the bulk rows loop over validate() per line in JavaScript.');
  }
}

/** Measures the module every user downloads or loads, and the time to a first verdict in a fresh process. */
function measureStartup(context) {
  const wasm = readFileSync(join(root, 'pkg', 'node', 'freeclimb_callstatus_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  context.measurements.push(
    { id: 'wasm-raw', label: '.wasm size, raw', ours: wasm.length, unit: 'bytes', target: '≤ 61,440 B', met: wasm.length <= WASM_MAX_RAW_BYTES },
    { id: 'wasm-gzip', label: '.wasm size, gzip -9', ours: gzipped, unit: 'bytes', target: '≤ 25,600 B', met: gzipped <= WASM_MAX_GZIP_BYTES },
  );
  progress(`.wasm: ${wasm.length} bytes, ${gzipped} gzipped`);

  const count = context.settings.coldStarts;
  const coldStart = measureColdStart(join(root, 'pkg', 'node', 'index.cjs'), context.inputs.validText, count);
  context.measurements.push({
    id: 'cold-start',
    label: `cold start: require + first validate (median of ${count} processes)`,
    ours: coldStart.median,
    unit: 'ms',
    target: `< ${COLD_START_TARGET_MS} ms`,
    met: coldStart.median < COLD_START_TARGET_MS,
  });
  progress(`cold start: median ${coldStart.median.toFixed(2)} ms (min ${coldStart.min.toFixed(2)}, max ${coldStart.max.toFixed(2)})`);
}

/** Runs the CLI on a large generated log and records its wall-clock throughput and peak memory. */
async function benchmarkCli(context) {
  const { inputs, settings } = context;
  const workspace = mkdtempSync(join(tmpdir(), 'callstatus-bench-'));
  const cleanUp = () => rmSync(workspace, { recursive: true, force: true });
  const onInterrupt = () => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);

  try {
    const logPath = join(workspace, 'webhooks.ndjson');
    progress(`writing ${(settings.cliBytes / MB).toFixed(0)} MB of NDJSON to ${logPath}`);
    const log = writeNdjsonFile(logPath, inputs.validText, inputs.invalidText, settings.cliBytes);

    const runs = [];
    for (let run = 0; run < settings.cliRuns; run++) {
      runs.push(await runCli(join(root, 'pkg', 'cli.cjs'), logPath, join(workspace, 'cli-output.txt'), log.lines));
    }

    const seconds = median(runs.map((run) => run.seconds));
    const peakMiB = Math.max(...runs.map((run) => run.peakRssKiB)) / 1024;
    const megabytes = log.bytes / MB;
    context.measurements.push(
      { id: 'cli-throughput', label: `CLI validate --strict, ${megabytes.toFixed(0)} MB NDJSON, 1 line in ${INVALID_EVERY} invalid (wall time, median of ${runs.length})`, ours: megabytes / seconds, unit: 'MB/s' },
      { id: 'cli-peak-rss', label: `CLI peak RSS, ${megabytes.toFixed(0)} MB NDJSON`, ours: peakMiB, unit: 'MiB' },
    );
    context.notes.push(`CLI peak RSS from ${runs[0].rssSource}; the CLI's text output went to a file in the same temporary folder.`);
    progress(`CLI: ${(megabytes / seconds).toFixed(1)} MB/s, peak RSS ${peakMiB.toFixed(1)} MiB`);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    cleanUp();
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  // Described first, so the load average is the machine's before the bench adds its own.
  const machine = describeMachine(root);
  const callstatus = loadPackage();
  const check = compileAjv();
  const context = {
    callstatus,
    check,
    inputs: loadInputs(callstatus),
    settings: settingsFor(options),
    measurements: [],
    notes: [],
  };

  checkVerdicts(context);
  const disagreements = schemaDisagreements(check);
  if (disagreements.length > 0) {
    progress(`warning: the zod or valibot schema disagrees with ajv on: ${disagreements.join(', ')}`);
    context.notes.push(`The zod or valibot schema disagrees with ajv on ${disagreements.length} corpus cases.`);
  }

  const validateRate = benchmarkValidation(context);
  benchmarkSignature(context, validateRate);
  benchmarkObjectPath(context);
  benchmarkBulk(context);
  measureStartup(context);
  await benchmarkCli(context);

  const { inputs } = context;
  const results = {
    command: `node bench/run.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    settings: context.settings,
    bodies: {
      validBytes: inputs.validBytes.length,
      invalidBytes: inputs.invalidBytes.length,
      invalidErrors: callstatus.validate(inputs.invalidBytes, STRICT).errors.length,
    },
    measurements: context.measurements,
    notes: context.notes,
    checksum: checksum(),
  };

  process.stdout.write(markdownReport(results));
  if (options.json) {
    writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    progress(`wrote ${options.out}`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 1;
});
