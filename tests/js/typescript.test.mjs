// Type-checks TypeScript consumers of the installed tarball with
// `tsc --strict --noEmit`: one project with "moduleResolution": "node16"
// (a .cts file, CommonJS, and an .mts file, ES module), one with
// "moduleResolution": "bundler", and one with "module": "commonjs" alone,
// which selects TypeScript's node10 resolution. Each project also has a file with
// deliberate type errors that must fail to compile, which shows that the
// declarations are read and are not `any`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './helpers/package.mjs';
import { installTarball } from './helpers/tarball.mjs';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let tarball;

// Code shared by every consumer. It runs nothing (noEmit) but uses the
// main entry and the three handler subpaths with their types, so that a
// wrong declaration fails under --strict.
const SHARED_BODY = `
function errorCodes(report: ValidationReport): IssueCode[] {
  return report.errors.map((issue: Issue) => issue.code);
}

function isTerminal(status: FinalCallStatus): boolean {
  return status === 'completed' || status === 'canceled';
}

function handle(body: Uint8Array): CallStatusPayload | IssueCode[] {
  const report = validate(body, { mode: 'strict', maxBytes: 4096, maxIssues: 10 });
  if (!report.valid || report.payload === undefined) return errorCodes(report);
  const seconds: number | null = report.payload.callDuration;
  const reason: CallEndedReason | null = report.payload.callEndedReason;
  void seconds;
  void reason;
  void isTerminal(report.payload.callStatus);
  return report.payload;
}

function verify(body: string, header: string | undefined): CallStatusPayload | SignatureErrorCode | Issue[] {
  try {
    return constructCallStatus(body, header, 'sigsec_test', { now: new Date(), toleranceSeconds: 60, mode: 'lenient' });
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error.code;
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
}

const batch: BatchReport = validateMany('{}\\n', { maxReports: 5 });
const header: string = signPayload('{}', 'sigsec_test', 1700000000);
const busy: string = meanings().callStatus.busy;
const payload: CallStatusPayload = parse('{}');
const ready: Promise<void> = init();

const options: CallStatusHandlerOptions = { secret: 'sigsec_test', mode: 'strict', maxBytes: 65536 };
const middleware: CallStatusMiddleware = callStatusMiddleware(options);
const listener = createCallStatusHandler(options, (call, _req, res) => {
  const id: string = call.callId;
  res.statusCode = 204;
  res.end(id);
});
const server: Server = createServer(listener);
function statusOf(error: CallStatusRequestError): 400 | 405 | 413 | 415 | 500 {
  return error.statusCode;
}

void handle;
void verify;
void batch;
void header;
void busy;
void payload;
void ready;
void middleware;
void server;
void statusOf;
void readCallStatus;
void errorResponse;
void callStatusPlugin;
`;

// The same imports as ES module syntax: in a .cts file tsc emits them as
// require() calls, in .mts and bundler files as import statements.
const IMPORTS = `
import { createServer, type Server } from 'node:http';
import {
  validate, validateMany, parse, constructCallStatus, signPayload, meanings, init,
  ValidationError, SignatureVerificationError,
} from 'freeclimb-callstatus';
import type {
  BatchReport, CallEndedReason, CallStatusPayload, FinalCallStatus, Issue, IssueCode,
  SignatureErrorCode, ValidationReport,
} from 'freeclimb-callstatus';
import { callStatusMiddleware, type CallStatusMiddleware } from 'freeclimb-callstatus/express';
import { callStatusPlugin } from 'freeclimb-callstatus/fastify';
import {
  createCallStatusHandler, readCallStatus, errorResponse, CallStatusRequestError,
  type CallStatusHandlerOptions,
} from 'freeclimb-callstatus/http';
`;

// Reads a field of the JSON Schema subpath with its inferred type.
const SCHEMA_USE = `
const schemaTitle: string = schema.title;
void schemaTitle;
`;

// Each statement is one mistake a consumer could make. BROKEN_EXPECTED
// holds the error tsc must print for each, by line and column.
const BROKEN = `
import { validate, parse } from 'freeclimb-callstatus';
import type { Direction, FinalCallStatus, IssueCode } from 'freeclimb-callstatus';
import { createCallStatusHandler } from 'freeclimb-callstatus/http';

const status: FinalCallStatus = 'ringing';
const code: IssueCode = 'invalid_ids';
const callId: string = validate('{}').payload.callId;
const report = validate(42);
const mode = parse('{}', { mode: 'loose' });
const handler = createCallStatusHandler({ secret: 42 }, () => {});
const direction: Direction = 'outbound_api';
void status; void code; void callId; void report; void mode; void handler; void direction;
`;

const BROKEN_EXPECTED = [
  /\(6,7\): error TS2322: Type '"ringing"' is not assignable to type 'FinalCallStatus'/,
  /\(7,7\): error TS2820: Type '"invalid_ids"' is not assignable to type 'IssueCode'. Did you mean '"invalid_id"'\?/,
  /\(8,24\): error TS2532: Object is possibly 'undefined'/,
  /\(9,25\): error TS2345: Argument of type '42' is not assignable to parameter of type 'ValidationInput'/,
  /\(10,28\): error TS2322: Type '"loose"' is not assignable to type 'Mode \| undefined'/,
  /\(11,43\): error TS2322: Type 'number' is not assignable to type 'string'/,
  /\(12,7\): error TS2\d+: Type '"outbound_api"' is not assignable to type 'Direction'/,
];

const NODE16 = { module: 'node16', moduleResolution: 'node16' };
const BUNDLER = { module: 'esnext', moduleResolution: 'bundler' };
// No moduleResolution: with "module": "commonjs" TypeScript uses node10,
// which ignores "exports" and finds the subpaths through typesVersions.
const NODE10 = { module: 'commonjs' };

const PROJECTS = {
  node16: {
    compilerOptions: NODE16,
    files: {
      // import = require() is the CommonJS form of a JSON import.
      'consumer.cts': `${IMPORTS}import schema = require('freeclimb-callstatus/schema.json');\n${SHARED_BODY}${SCHEMA_USE}`,
      // NOTE: node16 accepts no import attributes, and Node needs
      // `with { type: 'json' }` to import JSON, so the .mts file leaves the
      // schema out. The bundler project imports it as an ES module.
      'consumer.mts': `${IMPORTS}${SHARED_BODY}`,
      'broken.mts': BROKEN,
    },
  },
  bundler: {
    compilerOptions: BUNDLER,
    files: {
      'consumer.ts': `${IMPORTS}import schema from 'freeclimb-callstatus/schema.json';\n${SHARED_BODY}${SCHEMA_USE}`,
      'broken.ts': BROKEN,
    },
  },
  node10: {
    compilerOptions: NODE10,
    files: {
      'consumer.ts': `${IMPORTS}import schema = require('freeclimb-callstatus/schema.json');\n${SHARED_BODY}${SCHEMA_USE}`,
      'broken.ts': BROKEN,
    },
  },
};

/** Writes `files` (name to text) and a tsconfig.json into a new project folder. */
function writeProject(name, { compilerOptions, files }) {
  const folder = join(tarball.consumer, name);
  mkdirSync(folder);
  for (const [fileName, text] of Object.entries(files)) {
    writeFileSync(join(folder, fileName), text);
  }
  const config = {
    compilerOptions: {
      target: 'es2022',
      resolveJsonModule: true,
      // @types/node comes from the repository: the consumer folder holds
      // only the package under test.
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      ...compilerOptions,
    },
    files: Object.keys(files),
  };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(config, null, 2));
  return folder;
}

/**
 * Runs tsc --strict --noEmit on a project folder and resolves with its exit
 * status and the error lines, each starting with the file name. It runs
 * asynchronously so that the projects compile at the same time.
 */
function compile(folder) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSC, '--project', folder, '--strict', '--noEmit', '--pretty', 'false'], { cwd: folder }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      const errors = stdout.split('\n').filter((line) => /error TS\d+/.test(line));
      resolve({ status: error ? error.code : 0, stdout: stdout + stderr, errors });
    });
  });
}

const results = {};

before(() => {
  tarball = installTarball('callstatus-typescript-');
  for (const [name, project] of Object.entries(PROJECTS)) {
    results[name] = compile(writeProject(name, project));
  }
});

after(() => {
  tarball?.remove();
});

for (const [name, project] of Object.entries(PROJECTS)) {
  const consumers = Object.keys(project.files).filter((fileName) => fileName.startsWith('consumer.'));
  const broken = Object.keys(project.files).find((fileName) => fileName.startsWith('broken.'));

  for (const consumer of consumers) {
    test(`${name} ${consumer} compiles`, async () => {
      const { errors, stdout } = await results[name];
      assert.deepEqual(errors.filter((line) => line.startsWith(consumer)), [], stdout);
    });
  }

  test(`${name} ${broken} fails to compile`, async () => {
    const { status, errors, stdout } = await results[name];
    assert.equal(status, 2, `tsc should fail on ${broken}:\n${stdout}`);
    for (const expected of BROKEN_EXPECTED) {
      assert.ok(errors.some((line) => line.startsWith(broken) && expected.test(line)), `missing ${expected} in:\n${stdout}`);
    }
    // Errors anywhere else, in the package's .d.ts files for example, would
    // also make tsc fail, so the count shows they are all in this file.
    assert.equal(errors.length, BROKEN_EXPECTED.length, stdout);
  });
}
