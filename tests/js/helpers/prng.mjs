// A seeded pseudo-random generator, so that a failing random case can be
// reproduced from its seed and round.

/** Mulberry32: 32-bit state, uniform 32-bit outputs. Not for cryptography. */
export function createRandom(seed) {
  let state = seed >>> 0;

  function nextUint32() {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** Returns an integer from 0 to bound - 1. */
  function below(bound) {
    return nextUint32() % bound;
  }

  function bytes(length) {
    const buffer = Buffer.alloc(length);
    for (let index = 0; index < length; index++) buffer[index] = below(256);
    return buffer;
  }

  function pick(items) {
    return items[below(items.length)];
  }

  return { nextUint32, below, bytes, pick };
}
