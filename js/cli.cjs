#!/usr/bin/env node
// callstatus: validate FreeClimb callStatus payloads from files or stdin.
//
// A file holds one JSON payload, or NDJSON (one payload per line, as webhook
// logs are kept). Input is streamed, so memory stays bounded by the size
// limit of one payload however long the log is.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const callstatus = require('./node/index.cjs');
const bindings = require('./node/freeclimb_callstatus.js');

const USAGE = `Usage: callstatus validate [--strict] [--json] [--mask] [--max-bytes N] [FILE... | -]

Validates FreeClimb callStatus webhook payloads. Each FILE holds one JSON
payload or NDJSON (one payload per line; blank lines are skipped). With no
FILE, or with -, reads standard input.

Options:
  --strict       enforce everything FreeClimb's reference states (default: lenient)
  --json         print one JSON report per payload on stdout; the summary goes to stderr
  --mask         hide personal data in messages (phone numbers keep their last two
                 digits), so that the output can be logged
  --max-bytes N  largest payload accepted, in bytes, from 1 to 1073741824
                 (default 1048576)
  -h, --help     show this help
  -v, --version  print the version

Exit status: 0 when every payload is valid, 1 when any is invalid,
2 for a usage or I/O error.`;

const EXIT_VALID = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
const PROGRESS_INTERVAL_MS = 500;
const NEWLINE = 0x0a;
const BATCH_LINES = 512;
// The largest maxBytes that validate() accepts (1 GiB).
const MAX_BYTES_LIMIT = 1024 * 1024 * 1024;

class UsageError extends Error {}

function parseArguments(argv) {
  const settings = { strict: false, json: false, mask: false, maxBytes: 1024 * 1024, files: [] };
  if (argv.length === 0) throw new UsageError('missing command: expected "validate"');

  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') return { help: true };
  if (command === '-v' || command === '--version') return { version: true };
  if (command !== 'validate') throw new UsageError(`unknown command "${command}": expected "validate"`);

  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--strict') settings.strict = true;
    else if (argument === '--json') settings.json = true;
    else if (argument === '--mask') settings.mask = true;
    else if (argument === '-h' || argument === '--help') return { help: true };
    else if (argument === '--max-bytes' || argument.startsWith('--max-bytes=')) {
      const value = argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : rest[++index];
      if (value === undefined || !/^[1-9][0-9]*$/.test(value) || Number(value) > MAX_BYTES_LIMIT) {
        throw new UsageError(`invalid --max-bytes value ${JSON.stringify(value ?? '')}: expected a whole number of bytes from 1 to ${MAX_BYTES_LIMIT}`);
      }
      settings.maxBytes = Number(value);
    } else if (argument === '--') {
      settings.files.push(...rest.slice(index + 1));
      break;
    } else if (argument.startsWith('-') && argument !== '-') {
      throw new UsageError(`unknown option "${argument}"`);
    } else settings.files.push(argument);
  }

  if (settings.files.length === 0) settings.files.push('-');
  return settings;
}

/** Writes to stdout, waiting when the pipe is full so memory stays bounded. */
function writeOut(text) {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function formatIssue(issue) {
  const where = issue.path === '' ? '(body)' : issue.path;
  const at = issue.line === undefined ? '' : ` at ${issue.line}:${issue.column}`;
  return `  ${issue.severity} ${where}${at} [${issue.code}]: ${issue.message}\n`;
}

class Run {
  constructor(settings) {
    this.settings = settings;
    this.options = {
      mode: settings.strict ? 'strict' : 'lenient',
      maxBytes: settings.maxBytes,
      maskPersonalData: settings.mask,
    };
    this.payloads = 0;
    this.invalid = 0;
    this.errors = 0;
    this.warnings = 0;
    this.ioFailed = false;
  }

  async report(source, line, report) {
    this.payloads++;
    this.errors += report.errors.length;
    this.warnings += report.warnings.length;
    if (!report.valid) this.invalid++;

    if (this.settings.json) {
      const record = { source, line, valid: report.valid, errors: report.errors, warnings: report.warnings };
      return writeOut(`${JSON.stringify(record)}\n`);
    }
    // Valid payloads are listed only when they carry warnings, so a clean log prints just the summary.
    if (report.valid && report.warnings.length === 0) return undefined;
    return writeOut(this.describe(source, line, report));
  }

  validate(body) {
    return callstatus.validate(body, this.options);
  }

  /**
   * Records a validateMany() result for lines that start after `lineOffset`
   * and writes their output in one piece.
   */
  async batch(source, lineOffset, batch) {
    this.payloads += batch.total;
    this.invalid += batch.invalid;
    for (const report of batch.reports) {
      this.errors += report.errors.length;
      this.warnings += report.warnings.length;
    }

    if (!this.settings.json) {
      let text = '';
      for (const report of batch.reports) text += this.describe(source, lineOffset + report.line, report);
      return text === '' ? undefined : writeOut(text);
    }

    // Every payload gets a record in JSON mode, clean ones included.
    const reports = new Map(batch.reports.map((report) => [report.line, report]));
    const blank = new Set(batch.blankLines);
    const prefix = `{"source":${JSON.stringify(source)},"line":`;
    let text = '';
    for (let line = 1; line <= batch.lines; line++) {
      if (blank.has(line)) continue;
      const report = reports.get(line);
      if (report === undefined) {
        text += `${prefix}${lineOffset + line},"valid":true,"errors":[],"warnings":[]}\n`;
      } else {
        const record = { source, line: lineOffset + line, valid: report.valid, errors: report.errors, warnings: report.warnings };
        text += `${JSON.stringify(record)}\n`;
      }
    }
    return writeOut(text);
  }

  describe(source, line, report) {
    const label = line === null ? source : `${source}:${line}`;
    const verdict = report.valid ? 'valid' : 'invalid';
    let text = `${label}: ${verdict}, ${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')}\n`;
    for (const issue of report.errors.concat(report.warnings)) text += formatIssue(issue);
    return text;
  }

  oversized(length) {
    return JSON.parse(bindings.oversizedReport(length, this.settings.maxBytes, 100));
  }

  summary() {
    const valid = this.payloads - this.invalid;
    return `${plural(this.payloads, 'payload')} checked: ${valid} valid, ${this.invalid} invalid (${plural(this.errors, 'error')}, ${plural(this.warnings, 'warning')})\n`;
  }
}

/** Shows how far a long input has been read, only when stderr is a terminal. */
class Progress {
  constructor(source) {
    this.source = source;
    this.enabled = Boolean(process.stderr.isTTY);
    this.last = Date.now();
    this.shown = false;
  }

  update(lines, bytes) {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r${this.source}: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB read`);
  }

  done() {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

/**
 * Splits a byte stream into lines without keeping more than one line, and
 * stops keeping a line once it passes the size limit.
 */
class LineSplitter {
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.pieces = [];
    this.length = 0;
  }

  /** Adds a piece of the current line; returns nothing. */
  add(piece) {
    if (this.length + piece.length <= this.maxBytes) this.pieces.push(piece);
    else this.pieces = null;
    this.length += piece.length;
  }

  /** Ends the current line; returns its bytes, or null when it was over the limit. */
  take() {
    const pieces = this.pieces;
    const length = this.length;
    this.pieces = [];
    this.length = 0;
    if (pieces === null) return { body: null, length };
    return { body: pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, length), length };
  }
}

function isBlank(bytes) {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false;
  }
  return true;
}

/** Whether a first line is a whole JSON object on its own, which marks NDJSON. */
function looksLikeNdjsonLine(bytes) {
  const text = bytes.toString('utf8').trim();
  return text.startsWith('{') && text.endsWith('}');
}

/**
 * Decides from the first complete lines whether the input is NDJSON: it is
 * when the first non-blank line is a whole JSON object, or when the second
 * one starts an object, as it does in a log whose first line was cut off
 * (in a pretty-printed payload the second line is a member or a bracket).
 * Returns undefined until enough lines have arrived.
 */
function detectNdjson(buffer) {
  let first;
  let start = 0;
  let newline = buffer.indexOf(NEWLINE);
  while (newline >= 0) {
    const line = buffer.subarray(start, newline);
    if (!isBlank(line)) {
      if (first === undefined) {
        if (looksLikeNdjsonLine(line)) return true;
        first = line;
      } else {
        return line.toString('utf8').trimStart().startsWith('{');
      }
    }
    start = newline + 1;
    newline = buffer.indexOf(NEWLINE, start);
  }
  return undefined;
}

async function validateStream(run, source, stream) {
  const maxBytes = run.settings.maxBytes;
  const progress = new Progress(source);
  const lines = new LineSplitter(maxBytes);
  let lineNumber = 0;
  let bytesRead = 0;

  // Until the first non-blank line is complete, the input is kept so that it
  // can still be read as one pretty-printed payload. `head` becomes null once
  // it passes the size limit; its length is still counted.
  let mode = 'undecided';
  let head = [];
  let headLength = 0;

  async function emit(line) {
    lineNumber++;
    if (line.body !== null && isBlank(line.body)) return;
    const report = line.body === null ? run.oversized(line.length) : run.validate(line.body);
    await run.report(source, lineNumber, report);
  }

  /** Validates complete lines joined by newlines, without a trailing newline. */
  async function validateRegion(region) {
    let start = 0;
    for (;;) {
      // Find the newline that ends the batch: after BATCH_LINES lines or at the region's end.
      let inside = 0;
      let end = region.indexOf(NEWLINE, start);
      while (end >= 0 && inside < BATCH_LINES - 1) {
        inside++;
        end = region.indexOf(NEWLINE, end + 1);
      }

      const piece = region.subarray(start, end < 0 ? region.length : end);
      const batch = callstatus.validateMany(piece, run.options);
      await run.batch(source, lineNumber, batch);

      // The piece holds one line more than it has newlines, even when that
      // line is empty, which validateMany does not count.
      lineNumber += inside + 1;
      if (end < 0) return;
      start = end + 1;
    }
  }

  async function splitLines(chunk) {
    const first = chunk.indexOf(NEWLINE);
    if (first < 0) {
      lines.add(chunk);
      return;
    }

    // The line carried over from the last chunk ends at the first newline.
    lines.add(chunk.subarray(0, first));
    await emit(lines.take());

    // The complete lines after it are validated in batches of a bounded
    // number of lines, so that a log of invalid payloads never holds more
    // than one batch of reports and output in memory.
    const last = chunk.lastIndexOf(NEWLINE);
    if (last > first) await validateRegion(chunk.subarray(first + 1, last));
    if (last + 1 < chunk.length) lines.add(chunk.subarray(last + 1));
  }

  function keep(chunk) {
    headLength += chunk.length;
    if (head === null) return;
    // While undecided, the chunk that crosses the limit is kept for the NDJSON replay.
    if (headLength <= maxBytes || mode === 'undecided') head.push(chunk);
    else head = null;
  }

  for await (const chunk of stream) {
    bytesRead += chunk.length;

    if (mode === 'ndjson') {
      await splitLines(chunk);
    } else {
      keep(chunk);
      if (mode === 'undecided') {
        // The first non-blank line decides. When no newline has come within
        // the size limit, that first line is an oversized NDJSON line.
        let verdict = detectNdjson(Buffer.concat(head, headLength));
        if (verdict === undefined && headLength > maxBytes) verdict = true;
        if (verdict !== undefined) mode = verdict ? 'ndjson' : 'document';
        if (mode === 'ndjson') {
          for (const kept of head) await splitLines(kept);
          head = [];
          headLength = 0;
        }
      }
    }
    progress.update(lineNumber, bytesRead);
  }
  progress.done();

  if (mode === 'ndjson') {
    const last = lines.take();
    if (last.length > 0) await emit(last);
    return;
  }

  // One payload: the whole input, pretty-printed or on one line.
  const whole = head === null || headLength > maxBytes ? null : Buffer.concat(head, headLength);
  const report = whole === null ? run.oversized(headLength) : run.validate(whole);
  await run.report(source, null, report);
}

async function main() {
  let settings;
  try {
    settings = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`callstatus: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (settings.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_VALID;
  }
  if (settings.version) {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
    process.stdout.write(`callstatus ${manifest.version}\n`);
    return EXIT_VALID;
  }

  const run = new Run(settings);
  for (const file of settings.files) {
    const source = file === '-' ? '(stdin)' : file;
    const stream = file === '-' ? process.stdin : fs.createReadStream(file, { highWaterMark: 1 << 16 });
    try {
      await validateStream(run, source, stream);
    } catch (error) {
      if (!error || typeof error.code !== 'string') throw error;
      process.stderr.write(`callstatus: cannot read ${source}: ${error.message}\n`);
      run.ioFailed = true;
    }
  }

  const summary = run.summary();
  if (settings.json) process.stderr.write(summary);
  else await writeOut(summary);

  if (run.ioFailed) return EXIT_USAGE;
  return run.invalid > 0 ? EXIT_INVALID : EXIT_VALID;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`callstatus: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
