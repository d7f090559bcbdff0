//! Validates one body file natively and prints the report as JSON.
//!
//! `cargo run --example validate_file -- FILE [--strict]`

use std::process::ExitCode;

use freeclimb_callstatus::{validate, Options};

fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    let Some(path) = arguments.next() else {
        eprintln!("usage: validate_file FILE [--strict]");
        return ExitCode::from(2);
    };
    let options = if arguments.any(|argument| argument == "--strict") {
        Options::strict()
    } else {
        Options::default()
    };

    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(error) => {
            eprintln!("cannot read {}: {}", path, error);
            return ExitCode::from(2);
        }
    };

    let report = validate(&body, &options);
    println!("{}", report.to_json());
    if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
