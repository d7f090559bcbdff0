// Describes the machine and prints the results as the markdown that
// BENCHMARKS.md contains, so a rerun's output can be pasted over the old one.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Returns the CPU model from /proc/cpuinfo, or from os.cpus() elsewhere. */
function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  const cpus = os.cpus();
  return cpus.length > 0 ? cpus[0].model : 'unknown CPU';
}

/** Returns the checked-out commit, marked when the working tree has changes, or undefined outside git. */
function gitCommit(root) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
    return changes.trim() === '' ? commit : `${commit} with uncommitted changes`;
  } catch {
    return undefined;
  }
}

export function describeMachine(root) {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg()[0],
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    commit: gitCommit(root),
  };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Formats a measured value with its unit for the table. */
export function formatValue(value, unit) {
  if (value === undefined || value === null) return '';
  switch (unit) {
    case 'ops/s':
      return `${integer.format(value)} ops/s`;
    case 'MB/s':
      return `${oneDecimal.format(value)} MB/s`;
    case 'ms':
      return `${oneDecimal.format(value)} ms`;
    case 'bytes':
      return `${integer.format(value)} B`;
    case 'MiB':
      return `${oneDecimal.format(value)} MiB`;
    case 'x':
      return `${value.toFixed(2)}x`;
    default:
      return `${value} ${unit}`;
  }
}

function statusText(status) {
  if (status === true) return 'met';
  if (status === false) return '**missed**';
  return '';
}

/** Builds the markdown section: context lines, then one table row per measurement. */
export function markdownReport(results) {
  const { machine, settings, bodies } = results;
  const lines = [];

  lines.push(`Command: \`${results.command}\``);
  lines.push('');
  lines.push(`- Date: ${machine.date}${machine.commit ? `, commit ${machine.commit}` : ''}`);
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}`);
  lines.push(`- Load average over the minute before the run: ${machine.loadAverage.toFixed(2)} (other processes compete for the cores when it nears the core count)`);
  lines.push(
    `- Bodies: valid ${bodies.validBytes} bytes, invalid ${bodies.invalidBytes} bytes with ${bodies.invalidErrors} strict errors. Every validator runs the strict rules.`,
  );
  lines.push(
    `- Method: ${settings.warmupMs} ms warm-up each, then ${settings.runs} alternating windows of ${settings.windowMs} ms (bulk rows: ${settings.bulkRuns} alternating passes over the buffer after one warm-up pass each); medians; ratio = ours / theirs, except in the slowdown rows, where it is the valid rate / the invalid rate. MB = 10^6 bytes.`,
  );
  if (settings.quick) lines.push('- **Quick run** (`--quick`): short windows, for checking the bench itself, not for publishing.');
  lines.push('');
  lines.push('| measurement | ours | compared with | theirs | ratio | target | result |');
  lines.push('|---|--:|---|--:|--:|---|---|');
  for (const row of results.measurements) {
    const cells = [
      row.label,
      formatValue(row.ours, row.unit),
      row.baseline ?? '',
      formatValue(row.theirs, row.unit),
      row.ratio === undefined ? '' : formatValue(row.ratio, 'x'),
      row.target ?? '',
      statusText(row.met),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (results.notes.length > 0) {
    lines.push('');
    for (const note of results.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
