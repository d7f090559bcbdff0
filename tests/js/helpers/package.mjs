// Loads the built package in pkg/ the ways its users do. Run `make pkg`
// first: the tests exercise the package, not the sources in js/.

import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PACKAGE_DIR = join(ROOT, 'pkg');

if (!existsSync(join(PACKAGE_DIR, 'package.json'))) {
  throw new Error(`${PACKAGE_DIR} is missing: run \`make pkg\` before the JavaScript tests`);
}

/** require() resolving from the repository root, where express and fastify are installed. */
export const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/**
 * Creates a temporary folder whose node_modules/freeclimb-callstatus links
 * to pkg/, so that code in it resolves the package by name through the
 * `exports` map. Returns the folder and a function that removes it.
 */
export function createPackageSandbox() {
  const folder = mkdtempSync(join(tmpdir(), 'freeclimb-callstatus-'));
  mkdirSync(join(folder, 'node_modules'));
  symlinkSync(PACKAGE_DIR, join(folder, 'node_modules', 'freeclimb-callstatus'), 'dir');
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
