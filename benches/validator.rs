//! Native throughput of the validator and the signature functions, on the
//! same bodies as the Node benchmark (bench/bodies/). Std only: run it with
//! `cargo bench --bench validator`.
//!
//! Each benchmark warms up, then runs 7 windows of 300 ms and prints the
//! median ns per call and MB/s (10^6 bytes of body per second).
//!
//! `cargo test --all-targets` also runs this file, but without the `--bench`
//! argument that `cargo bench` passes. The file then checks each benchmark's
//! setup and calls each once instead of timing them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use freeclimb_callstatus::{signature, validate, Options};

const VALID_BODY: &[u8] = include_bytes!("../bench/bodies/valid.json");
const INVALID_BODY: &[u8] = include_bytes!("../bench/bodies/invalid.json");

const SECRET: &str = "sigsec_benchmark_secret";
const SIGNED_AT: u64 = 1_700_000_000;

const WARMUP: Duration = Duration::from_millis(300);
const WINDOW: Duration = Duration::from_millis(300);
const RUNS: usize = 7;
/// Calls between two clock reads, so reading the clock stays a small part
/// of even the fastest call measured here.
const BATCH: u64 = 64;

/// Runs `call` for one window and returns nanoseconds per call.
fn run_window(call: &mut impl FnMut() -> usize, window: Duration) -> f64 {
    let start = Instant::now();
    let mut calls: u64 = 0;
    let mut sink: usize = 0;
    loop {
        for _ in 0..BATCH {
            // black_box on the result keeps the call from being optimised away.
            sink = sink.wrapping_add(black_box(call()));
        }
        calls += BATCH;
        let elapsed = start.elapsed();
        if elapsed >= window {
            black_box(sink);
            return elapsed.as_nanos() as f64 / calls as f64;
        }
    }
}

/// Measures `call`, which handles `bytes` bytes of body, and prints one
/// table row; without `measure` it calls it once.
fn bench(measure: bool, name: &str, bytes: usize, mut call: impl FnMut() -> usize) {
    if !measure {
        black_box(call());
        return;
    }
    run_window(&mut call, WARMUP);
    let mut samples: Vec<f64> = (0..RUNS).map(|_| run_window(&mut call, WINDOW)).collect();
    samples.sort_by(f64::total_cmp);
    let median = samples[RUNS / 2];
    let megabytes_per_second = bytes as f64 / median * 1_000.0;
    println!(
        "| {name} | {bytes} | {median:.0} | {megabytes_per_second:.1} | {:.0} |",
        1e9 / median
    );
}

fn main() {
    let strict = Options::strict();
    let lenient = Options::default();
    let header = signature::sign(VALID_BODY, SECRET, SIGNED_AT);

    // The verdicts must be right, or the timings measure the wrong work.
    assert!(
        validate(VALID_BODY, &strict).is_valid(),
        "bench/bodies/valid.json must be valid in strict mode"
    );
    assert!(
        !validate(INVALID_BODY, &strict).is_valid(),
        "bench/bodies/invalid.json must be invalid in strict mode"
    );
    assert!(signature::verify_at(
        VALID_BODY,
        &header,
        SECRET,
        SIGNED_AT,
        signature::DEFAULT_TOLERANCE_SECONDS
    )
    .is_ok());

    let measure = std::env::args().any(|argument| argument == "--bench");
    if measure {
        println!("| benchmark | body bytes | ns/call (median) | MB/s | calls/s |");
        println!("|---|--:|--:|--:|--:|");
    }

    let bodies = [("valid", VALID_BODY), ("invalid", INVALID_BODY)];
    let modes = [("strict", &strict), ("lenient", &lenient)];
    for (kind, body) in bodies {
        for (mode, options) in modes {
            let name = format!("validate, {kind} body, {mode}");
            bench(measure, &name, body.len(), || {
                validate(black_box(body), options).issues.len()
            });
        }
    }
    bench(
        measure,
        "signature::verify_at, valid body",
        VALID_BODY.len(),
        || {
            let verified = signature::verify_at(
                black_box(VALID_BODY),
                black_box(&header),
                SECRET,
                SIGNED_AT,
                signature::DEFAULT_TOLERANCE_SECONDS,
            );
            usize::from(verified.is_ok())
        },
    );
    bench(
        measure,
        "signature::sign, valid body",
        VALID_BODY.len(),
        || signature::sign(black_box(VALID_BODY), SECRET, black_box(SIGNED_AT)).len(),
    );

    if !measure {
        println!("benchmarks checked; run `cargo bench --bench validator` to time them");
    }
}
