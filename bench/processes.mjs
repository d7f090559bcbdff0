// The parts of the benchmark that run other processes or touch files:
// NDJSON generation, cold start of a fresh Node process, and the CLI's
// throughput and peak memory on a large log.

import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { median } from './harness.mjs';

// Every INVALID_EVERY-th line of a generated log is the invalid body,
// because a webhook log is mostly valid payloads.
export const INVALID_EVERY = 10;
const CHUNK_CHARS = 1 << 20;
const GNU_TIME = '/usr/bin/time';
const POLL_INTERVAL_MS = 20;

/**
 * Returns a function giving line `index` of a generated log: the valid body
 * with a distinct callId, or every `invalidEvery`-th line the invalid body.
 * An `invalidEvery` of 0 makes every line valid.
 */
function lineMaker(validText, invalidText, invalidEvery) {
  const callId = JSON.parse(validText).callId;
  // The last 8 hex digits of the callId count the lines, so no two valid lines are equal.
  const prefix = callId.slice(0, -8);
  return (index) => {
    if (invalidEvery > 0 && index % invalidEvery === invalidEvery - 1) return invalidText;
    const counter = (index >>> 0).toString(16).padStart(8, '0');
    return validText.replace(callId, prefix + counter);
  };
}

/** Builds an NDJSON buffer of at least `targetBytes` bytes. Returns { buffer, lines }. */
export function makeNdjson(validText, invalidText, targetBytes, invalidEvery) {
  const lineAt = lineMaker(validText, invalidText, invalidEvery);
  const lines = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const line = lineAt(lines.length);
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return { buffer: Buffer.from(`${lines.join('\n')}\n`), lines: lines.length };
}

/** Writes generated NDJSON of at least `targetBytes` bytes to `path`. Returns { bytes, lines }. */
export function writeNdjsonFile(path, validText, invalidText, targetBytes) {
  const lineAt = lineMaker(validText, invalidText, INVALID_EVERY);
  const descriptor = openSync(path, 'w');
  let bytes = 0;
  let lines = 0;
  try {
    while (bytes < targetBytes) {
      let chunk = '';
      while (chunk.length < CHUNK_CHARS) chunk += `${lineAt(lines++)}\n`;
      // The bodies are ASCII, so characters and bytes agree.
      writeSync(descriptor, chunk);
      bytes += chunk.length;
    }
  } finally {
    closeSync(descriptor);
  }
  return { bytes, lines };
}

/**
 * Starts `count` fresh Node processes that each require the package and
 * validate one body, and returns the median, minimum and maximum
 * milliseconds from before require() to after the first validate(),
 * measured inside each child.
 */
export function measureColdStart(entry, bodyText, count) {
  const script = [
    'const start = process.hrtime.bigint();',
    `const callstatus = require(${JSON.stringify(entry)});`,
    `const report = callstatus.validate(Buffer.from(${JSON.stringify(bodyText)}));`,
    'const end = process.hrtime.bigint();',
    'process.stdout.write(JSON.stringify({ ms: Number(end - start) / 1e6, valid: report.valid }));',
  ].join('\n');

  const samples = [];
  for (let run = 0; run < count; run++) {
    const output = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    if (output.valid !== true) throw new Error('cold start: the child process did not validate the body as valid');
    samples.push(output.ms);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/** Reads the last `length` bytes of a file as text. */
function readTail(path, length) {
  const descriptor = openSync(path, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const start = Math.max(0, size - length);
    const buffer = Buffer.alloc(size - start);
    readSync(descriptor, buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}

/** Reads the peak resident set size in KiB from /proc, or 0 once the process is gone. */
function readPeakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `callstatus validate --strict FILE` on a generated log, with stdout
 * going to `outputPath`, and returns { seconds, peakRssKiB, rssSource }.
 * Peak RSS comes from GNU time's "Maximum resident set size" when
 * /usr/bin/time exists, or else from polling VmHWM in /proc.
 */
export async function runCli(cliPath, logPath, outputPath, expectedLines) {
  const command = [process.execPath, cliPath, 'validate', '--strict', logPath];
  const useGnuTime = existsSync(GNU_TIME);
  const output = openSync(outputPath, 'w');

  const start = performance.now();
  const child = useGnuTime
    ? spawn(GNU_TIME, ['-v', ...command], { stdio: ['ignore', output, 'pipe'] })
    : spawn(command[0], command.slice(1), { stdio: ['ignore', output, 'pipe'] });
  closeSync(output);

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    stderr += text;
  });

  // VmHWM is already a peak, so the last successful read is the result, and
  // polling only has to outlive the moment the peak is reached.
  let polledPeak = 0;
  const poller = useGnuTime
    ? undefined
    : setInterval(() => {
        polledPeak = Math.max(polledPeak, readPeakRss(child.pid));
      }, POLL_INTERVAL_MS);

  const exitCode = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = (performance.now() - start) / 1000;
  if (poller !== undefined) clearInterval(poller);

  // The log contains invalid lines on purpose, so the CLI exits with 1.
  if (exitCode !== 1) throw new Error(`the CLI exited with ${exitCode}, expected 1: ${stderr.slice(-2000)}`);

  const summary = /^(\d+) payloads? checked: (\d+) valid, (\d+) invalid/m.exec(readTail(outputPath, 4096));
  if (summary === null || Number(summary[1]) !== expectedLines) {
    throw new Error(`the CLI summary does not count ${expectedLines} payloads: ${readTail(outputPath, 300)}`);
  }

  let peakRssKiB = polledPeak;
  if (useGnuTime) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (match === null) throw new Error(`no peak RSS in the output of ${GNU_TIME} -v: ${stderr.slice(-500)}`);
    peakRssKiB = Number(match[1]);
  }
  return { seconds, peakRssKiB, rssSource: useGnuTime ? `${GNU_TIME} -v` : 'VmHWM polling' };
}
