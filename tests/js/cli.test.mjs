// Runs the packaged CLI (pkg/cli.cjs) as a user would: real files, stdin,
// exit codes and output, and a long NDJSON log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'pkg', 'cli.cjs');
const examples = join(root, 'examples', 'payloads');
const validLine = JSON.stringify(JSON.parse(readFileSync(join(examples, 'completed-inbound.json'), 'utf8')));
let workspace;

before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'callstatus-cli-'));
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

function callstatus(args, input) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: workspace, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

function file(name, content) {
  const path = join(workspace, name);
  writeFileSync(path, content);
  return path;
}

test('valid pretty-printed file exits 0', () => {
  const result = callstatus(['validate', join(examples, 'completed-inbound.json')]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '1 payload checked: 1 valid, 0 invalid (0 errors, 0 warnings)\n');
});

test('invalid file exits 1 and names issues', () => {
  const path = join(examples, 'invalid-ids-and-caller.json');
  const result = callstatus(['validate', path]);
  assert.equal(result.status, 1);
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], `${path}: invalid, 2 errors, 2 warnings`);
  assert.match(lines[1], /^  error \/callId at 3:13 \[invalid_id\]: callId: expected a call id/);
  assert.match(result.stdout, /warning \/from at 5:11 \[invalid_phone_number\]/);
  assert.match(result.stdout, /1 payload checked: 0 valid, 1 invalid \(2 errors, 2 warnings\)\n$/);
});

test('strict flag turns warnings into errors', () => {
  const path = file('withheld.json', validLine.replace('"+13121000109"', '"anonymous"'));
  assert.equal(callstatus(['validate', path]).status, 0);
  const strict = callstatus(['validate', '--strict', path]);
  assert.equal(strict.status, 1);
  assert.match(strict.stdout, /error \/from at 1:\d+ \[invalid_phone_number\]/);
});

test('NDJSON names file and line', () => {
  const log = [validLine, '', validLine.replace('"37"', '"-4"'), '  ', validLine.replace('"completed"', '"ringing"')].join('\n') + '\n';
  const path = file('log.ndjson', log);
  const result = callstatus(['validate', path]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, new RegExp(`^${path}:3: invalid, 1 error, 0 warnings\n  error /callDuration`));
  assert.match(result.stdout, new RegExp(`${path}:5: invalid, 1 error, 0 warnings\n  error /callStatus`));
  assert.match(result.stdout, /3 payloads checked: 1 valid, 2 invalid/);
});

test('line numbers survive a blank line at a chunk edge', () => {
  // Files are read in 64 KiB chunks. A filler line ends exactly two bytes
  // before the first chunk ends and a blank line follows, so the batch of
  // complete lines in that chunk ends with an empty line.
  const chunkSize = 64 * 1024;
  let text = '';
  while (text.length + validLine.length + 1 < chunkSize - 200) text += `${validLine}\n`;
  const fillerLength = chunkSize - 2 - text.length;
  text += `{"pad":"${'x'.repeat(fillerLength - 10)}"}\n\n`;
  assert.equal(text.length, chunkSize, 'the blank line ends the first chunk');

  const before = text.split('\n').length - 1;
  text += `${validLine}\n${validLine.replace('"inbound"', '"marked"')}\n`;
  const path = file('edge.ndjson', text);

  const result = callstatus(['validate', path]);
  const marked = /edge\.ndjson:(\d+): invalid, 1 error[^\n]*\n[^\n]*received "marked"/.exec(result.stdout);
  assert.ok(marked, result.stdout.slice(0, 500));
  assert.equal(Number(marked[1]), before + 2);
});

test('CRLF NDJSON and last line without newline', () => {
  const path = file('crlf.ndjson', `${validLine}\r\n${validLine}\r\n${validLine.replace('"inbound"', '"up"')}`);
  const result = callstatus(['validate', '--json', path]);
  assert.equal(result.status, 1);
  const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(reports.map((report) => [report.line, report.valid]), [[1, true], [2, true], [3, false]]);
  assert.equal(reports[2].errors[0].code, 'invalid_direction');
});

test('JSON output is one report per line', () => {
  const result = callstatus(['validate', '--json', join(examples, 'webhook-log.ndjson'), join(examples, 'invalid-json.json')]);
  assert.equal(result.status, 1);
  const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(reports.length, 5);
  assert.deepEqual(reports.map((report) => report.valid), [true, true, true, false, false]);
  assert.equal(reports[2].warnings[0].code, 'unknown_call_ended_reason');
  assert.equal(reports[4].line, null);
  assert.equal(reports[4].errors[0].code, 'invalid_json');
  assert.equal(reports[4].errors[0].line, 5);
  assert.match(result.stderr, /^5 payloads checked: 3 valid, 2 invalid/);
});

test('stdin is read with - or no file', () => {
  const dash = callstatus(['validate', '-'], validLine);
  assert.equal(dash.status, 0, dash.stderr);
  assert.match(dash.stdout, /1 payload checked: 1 valid/);
  const none = callstatus(['validate'], `${validLine}\n${validLine}\n`);
  assert.equal(none.status, 0);
  assert.match(none.stdout, /2 payloads checked: 2 valid/);
});

test('empty input is one empty body', () => {
  const result = callstatus(['validate', file('empty.json', '')]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /\[empty_body\]/);
});

test('usage errors exit 2 with a message', () => {
  const cases = [
    [[], /missing command/],
    [['check'], /unknown command "check"/],
    [['validate', '--fast'], /unknown option "--fast"/],
    [['validate', '--max-bytes', 'lots'], /invalid --max-bytes value "lots"/],
    [['validate', '--max-bytes'], /invalid --max-bytes value ""/],
  ];
  for (const [args, message] of cases) {
    const result = callstatus(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.match(result.stderr, /Usage: callstatus validate/);
  }
});

test('max-bytes above 1 GiB is a usage error', () => {
  const path = join(examples, 'completed-inbound.json');
  for (const args of [['--max-bytes', '1073741825'], ['--max-bytes=4294967295']]) {
    const result = callstatus(['validate', ...args, path]);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /invalid --max-bytes value "\d+": expected a whole number of bytes from 1 to 1073741824/);
    assert.doesNotMatch(result.stderr, /cannot read/);
    assert.equal(result.stdout, '');
  }
});

test('max-bytes of exactly 1 GiB is accepted', () => {
  const result = callstatus(['validate', '--max-bytes', '1073741824', join(examples, 'completed-inbound.json')]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /1 payload checked: 1 valid/);
});

test('help states the max-bytes range', () => {
  const result = callstatus(['--help']);
  assert.match(result.stdout, /--max-bytes N {2}largest payload accepted, in bytes, from 1 to 1073741824/);
});

test('missing file exits 2 and still checks the others', () => {
  const result = callstatus(['validate', join(workspace, 'nope.json'), join(examples, 'completed-inbound.json')]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /callstatus: cannot read .*nope\.json: ENOENT/);
  assert.match(result.stdout, /1 payload checked: 1 valid/);
});

test('directory argument exits 2', () => {
  const result = callstatus(['validate', workspace]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read .*EISDIR/);
});

test('help exits 0', () => {
  const result = callstatus(['--help']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /Exit status: 0 when every payload is valid/);
});

test('oversized NDJSON line is reported, not buffered', () => {
  const huge = `{"pad":"${'x'.repeat(5000)}"}`;
  const path = file('huge.ndjson', `${validLine}\n${huge}\n${validLine}\n`);
  const result = callstatus(['validate', '--json', '--max-bytes', '1000', path]);
  assert.equal(result.status, 1);
  const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(reports.map((report) => report.valid), [true, false, true]);
  assert.equal(reports[1].errors[0].code, 'body_too_large');
  assert.match(reports[1].errors[0].message, /5010 bytes/);
});

test('oversized single document is reported', () => {
  // Every line is short, so only the whole document passes the limit.
  const pretty = JSON.stringify({ ...JSON.parse(validLine), notes: Array(80).fill('a short note') }, null, 2);
  const path = file('big.json', pretty);
  const result = callstatus(['validate', '--json', '--max-bytes', '1000', path]);
  assert.equal(result.status, 1);
  const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(reports.length, 1);
  assert.equal(reports[0].line, null);
  assert.deepEqual(reports[0].errors.map((issue) => issue.code), ['body_too_large']);
  assert.match(reports[0].errors[0].message, new RegExp(`the body is ${Buffer.byteLength(pretty)} bytes: expected at most 1000 bytes`));
});

test('small limit keeps a pretty document whole', () => {
  const result = callstatus(['validate', '--max-bytes', '100', join(examples, 'completed-inbound.json')]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^1 payload checked: 0 valid, 1 invalid \(1 error, 0 warnings\)$/m);
  assert.match(result.stdout, /\[body_too_large\]/);
});

test('NDJSON of 100,000 lines', () => {
  const lines = [];
  const invalidLines = new Set([17, 5000, 99999, 100000]);
  for (let number = 1; number <= 100000; number++) {
    lines.push(invalidLines.has(number) ? validLine.replace('"inbound"', '"nowhere"') : validLine);
  }
  const path = file('big.ndjson', lines.join('\n') + '\n');

  const text = callstatus(['validate', path]);
  assert.equal(text.status, 1);
  const named = [...text.stdout.matchAll(/big\.ndjson:(\d+): invalid/g)].map((match) => Number(match[1]));
  assert.deepEqual(named, [...invalidLines]);
  assert.match(text.stdout, /100000 payloads checked: 99996 valid, 4 invalid \(4 errors, 0 warnings\)\n$/);

  const json = callstatus(['validate', '--json', path]);
  const reports = json.stdout.trimEnd().split('\n');
  assert.equal(reports.length, 100000);
  assert.equal(JSON.parse(reports[99999]).line, 100000);
  assert.equal(JSON.parse(reports[99999]).valid, false);
});

/** Peak resident memory of a running process, in kilobytes, from /proc. */
function peakResidentKilobytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]);
}

test('long stdin stream is read in bounded memory', async (t) => {
  // 200 MB of NDJSON through a pipe; the CLI must not keep what it has checked.
  const child = spawn(process.execPath, [cli, 'validate', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });

  const block = Buffer.from(`${validLine}\n`.repeat(2000));
  const target = 200 * 1024 * 1024;
  let written = 0;
  while (written < target) {
    if (!child.stdin.write(block)) await once(child.stdin, 'drain');
    written += block.length;
  }
  const lineCount = (written / block.length) * 2000;

  // Read the peak before closing stdin, while the process is still alive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const peak = peakResidentKilobytes(child.pid);
  child.stdin.end();
  const [code] = await once(child, 'exit');

  assert.equal(code, 0);
  assert.match(stdout, new RegExp(`${lineCount} payloads checked: ${lineCount} valid`));
  t.diagnostic(`peak resident memory: ${peak} kB`);
  assert.ok(peak < 150 * 1024, `peak resident memory ${peak} kB for ${written} bytes of input`);
});

test('log of invalid payloads stays bounded', async (t) => {
  // Every line of "{}" yields nine issues; whole 64 KiB chunks of them used
  // to be reported at once, which took hundreds of megabytes.
  const child = spawn(process.execPath, [cli, 'validate', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let tail = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    tail = (tail + chunk).slice(-200);
  });

  const block = Buffer.from('{}\n'.repeat(20000));
  for (let written = 0; written < 30; written++) {
    if (!child.stdin.write(block)) await once(child.stdin, 'drain');
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const peak = peakResidentKilobytes(child.pid);
  child.stdin.end();
  const [code] = await once(child, 'exit');

  t.diagnostic(`peak resident memory: ${peak} kB`);
  assert.equal(code, 1);
  assert.match(tail, /600000 payloads checked: 0 valid, 600000 invalid/);
  assert.ok(peak < 200 * 1024, `peak resident memory ${peak} kB`);
});

test('progress line only on a terminal', () => {
  // script(1) gives the CLI a pseudo-terminal; the input arrives slowly, so
  // more than one progress interval passes.
  const path = file('slow.ndjson', `${validLine}\n`);
  const feed = `for i in 1 2 3 4 5 6; do cat ${path}; sleep 0.3; done`;
  const onTerminal = spawnSync('script', ['-qec', `sh -c '${feed} | ${process.execPath} ${cli} validate -'`, '/dev/null'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(onTerminal.error, undefined);
  assert.match(onTerminal.stdout, /\r\(stdin\): \d+ lines, 0\.0 MB read/);
  assert.match(onTerminal.stdout, /6 payloads checked: 6 valid/);

  const piped = spawnSync('sh', ['-c', `${feed} | ${process.execPath} ${cli} validate -`], { encoding: 'utf8', timeout: 20000 });
  assert.doesNotMatch(piped.stderr, /MB read/);
  assert.match(piped.stdout, /6 payloads checked: 6 valid/);
});
