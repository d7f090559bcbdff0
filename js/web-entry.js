// Browser entry: the wasm-pack `web` build. init() fetches and instantiates
// the module once; every other function throws until it has finished.

import initWasm, * as wasm from './freeclimb_callstatus.js';
import { createApi, createSchemaApi } from '../api.mjs';

let ready = false;
let loading;

function requireReady() {
  if (!ready) {
    throw new Error('freeclimb-callstatus is not initialised: await init() before calling it');
  }
}

/**
 * Loads the WebAssembly module. Accepts what wasm-bindgen's init accepts (a
 * URL, a Response, bytes or a WebAssembly.Module); by default it fetches
 * the .wasm file next to this module. Safe to call more than once.
 */
export function init(moduleOrPath) {
  if (loading === undefined) {
    const options = moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath };
    loading = initWasm(options).then(() => {
      ready = true;
    });
  }
  return loading;
}

const api = createApi(wasm, requireReady);
const schemas = createSchemaApi(api);

export const validate = api.validate;
export const validateMany = api.validateMany;
export const parse = api.parse;
export const meanings = api.meanings;
export const verifySignature = api.verifySignature;
export const constructCallStatus = api.constructCallStatus;
export const signPayload = api.signPayload;
export const ValidationError = api.ValidationError;
export const SignatureVerificationError = api.SignatureVerificationError;
export const callStatusSchema = schemas.callStatusSchema;
export const createCallStatusSchema = schemas.createCallStatusSchema;
