// Timing for the benchmark: fixed time windows, medians, and a sink that
// every measured call feeds so no result can be optimised away.

import { performance } from 'node:perf_hooks';

// Calls between two clock reads. performance.now() costs tens of
// nanoseconds, so reading it once per 16 calls keeps it under 1 % of even
// the fastest call measured here (about 1 µs).
const BATCH = 16;

let sink = 0;

/** Returns the running total of every measured call's result, which the report prints so it is used. */
export function checksum() {
  return sink;
}

/** Returns the median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Calls `fn` for `windowMs` milliseconds and returns calls per second. */
function runWindow(fn, windowMs) {
  const start = performance.now();
  const end = start + windowMs;
  let calls = 0;
  let now;
  do {
    for (let index = 0; index < BATCH; index++) sink = (sink + fn()) | 0;
    calls += BATCH;
    now = performance.now();
  } while (now < end);
  return (calls * 1000) / (now - start);
}

/**
 * Measures two functions side by side: both warm up, then their windows
 * alternate, so a slow moment on the machine hits both alike. Each function
 * returns a number derived from its result. Returns the median calls per
 * second of each and every window's rate.
 */
export function compareRates(ours, theirs, settings) {
  runWindow(ours, settings.warmupMs);
  runWindow(theirs, settings.warmupMs);

  const oursRates = [];
  const theirRates = [];
  for (let run = 0; run < settings.runs; run++) {
    oursRates.push(runWindow(ours, settings.windowMs));
    theirRates.push(runWindow(theirs, settings.windowMs));
  }
  return { ours: median(oursRates), theirs: median(theirRates), oursRates, theirRates };
}

/** Runs `fn` once and returns the seconds it took. */
function timeOnce(fn) {
  const start = performance.now();
  sink = (sink + fn()) | 0;
  return (performance.now() - start) / 1000;
}

/**
 * Times two functions that each process a whole buffer: one warm-up call
 * each, then `runs` alternating calls. Returns the median seconds per call
 * of each.
 */
export function compareBulk(ours, theirs, runs) {
  timeOnce(ours);
  timeOnce(theirs);

  const oursSeconds = [];
  const theirSeconds = [];
  for (let run = 0; run < runs; run++) {
    oursSeconds.push(timeOnce(ours));
    theirSeconds.push(timeOnce(theirs));
  }
  return { ours: median(oursSeconds), theirs: median(theirSeconds) };
}
