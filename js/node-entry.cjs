// Node entry: the wasm-pack `nodejs` build, loaded synchronously, so the API
// is ready as soon as require() or import returns.

'use strict';

const wasm = require('./freeclimb_callstatus.js');
const { createApi, createSchemaApi } = require('../api.cjs');

const api = createApi(wasm, () => {});
const schemas = createSchemaApi(api);

/** A no-op in Node, kept so that code written for browsers runs unchanged. */
async function init() {}

exports.init = init;
exports.validate = api.validate;
exports.validateMany = api.validateMany;
exports.parse = api.parse;
exports.meanings = api.meanings;
exports.verifySignature = api.verifySignature;
exports.constructCallStatus = api.constructCallStatus;
exports.signPayload = api.signPayload;
exports.ValidationError = api.ValidationError;
exports.SignatureVerificationError = api.SignatureVerificationError;
exports.callStatusSchema = schemas.callStatusSchema;
exports.createCallStatusSchema = schemas.createCallStatusSchema;
