// Installs the package the way a user gets it: `npm pack` of pkg/, then
// `npm install` of that tarball into an empty folder. Unlike the symbolic
// link of createPackageSandbox(), this applies the `files` list, so a file
// missing from the tarball fails here.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PACKAGE_DIR } from './package.mjs';

/**
 * Packs pkg/ into a new temporary folder and installs the tarball into its
 * `consumer/` subfolder. Returns { workspace, consumer, installed, tarball,
 * run, remove }: `installed` is node_modules/freeclimb-callstatus, `run`
 * spawns a command in the consumer folder and returns spawnSync's result.
 */
export function installTarball(prefix = 'callstatus-tarball-') {
  const workspace = mkdtempSync(join(tmpdir(), prefix));
  const output = execFileSync('npm', ['pack', PACKAGE_DIR, '--pack-destination', workspace, '--json'], { encoding: 'utf8' });
  const [{ filename }] = JSON.parse(output);
  const tarball = join(workspace, filename);

  const consumer = join(workspace, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer, stdio: 'pipe' });

  return {
    workspace,
    consumer,
    installed: join(consumer, 'node_modules', 'freeclimb-callstatus'),
    tarball,
    run(command, args, options = {}) {
      const result = spawnSync(command, args, { cwd: consumer, encoding: 'utf8', ...options });
      if (result.error) throw result.error;
      return result;
    },
    remove() {
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
