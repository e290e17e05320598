//! `cargo xtask fuzz`: builds the fuzzer (`fuzz/`, profile `fuzz`:
//! optimized, with overflow checks and unwinding panics) and runs it.

use crate::util::{Result, cargo, command, root, run};

/// Inputs `cargo xtask fuzz` runs when given no limit.
const DEFAULT_INPUTS: &str = "1000000";

/// Seconds the fuzz step of `cargo xtask test` runs.
pub const TEST_SECONDS: &str = "60";

/// Builds the fuzzer and runs it with `args` (see `--help`); with no
/// `--inputs` or `--seconds`, a million inputs.
pub fn main(args: &[String]) -> Result {
    run(cargo().args(["build", "--profile", "fuzz", "-p", "scale-lab-fuzz"]))?;
    let mut cmd = command(root().join("target/fuzz/scalelab-fuzz"));
    cmd.args(args);
    let limited = args.iter().any(|a| {
        matches!(
            a.as_str(),
            "--inputs" | "--seconds" | "--index" | "-h" | "--help"
        )
    });
    if !limited {
        cmd.args(["--inputs", DEFAULT_INPUTS]);
    }
    run(&mut cmd).map_err(|e| {
        format!("{e}\n  the fuzzer found inputs that fail; each is listed above with how to run it again")
    })
}

/// The fuzz step of `cargo xtask test`: a minute on the default seed, so a
/// failure in CI is the same input on every machine (explore others with
/// `cargo xtask fuzz --seed N`).
pub fn test() -> Result {
    main(&["--seconds".into(), TEST_SECONDS.into()])
}
