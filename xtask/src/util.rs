//! Small helpers: project paths, the PATH our tools run with, and running
//! commands with their command line echoed.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Errors are messages a person can act on.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (the workspace that contains `xtask/`).
pub fn root() -> PathBuf {
    let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

/// Project-local tools installed with npm (wasm-opt from `binaryen`).
pub fn tools_bin() -> PathBuf {
    root().join(".tools").join("node_modules").join(".bin")
}

/// Where `cargo install` puts binaries.
fn cargo_bin() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"))
}

/// PATH for every command we run: `.tools/node_modules/.bin` first (so trunk
/// picks our wasm-opt), then cargo's bin dir, then the caller's PATH.
pub fn search_path() -> OsString {
    let inherited: Vec<PathBuf> = env::var_os("PATH")
        .map(|path| env::split_paths(&path).collect())
        .unwrap_or_default();
    let mut dirs = vec![tools_bin()];
    if let Some(bin) = cargo_bin()
        && !inherited.contains(&bin)
    {
        dirs.push(bin);
    }
    dirs.extend(inherited);
    env::join_paths(dirs).unwrap_or_else(|_| env::var_os("PATH").unwrap_or_default())
}

/// A command run from the repository root with our PATH.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", search_path());
    cmd
}

/// `cargo`, the same one that runs xtask.
pub fn cargo() -> Command {
    command(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The command line as a person would type it (env vars other than PATH first).
pub fn display(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter(|(key, _)| *key != "PATH")
        .filter_map(|(key, value)| {
            value.map(|v| format!("{}={}", key.to_string_lossy(), v.to_string_lossy()))
        })
        .collect();
    let program = cmd.get_program().to_string_lossy().into_owned();
    let program = if program.ends_with("/cargo") || program == env::var("CARGO").unwrap_or_default()
    {
        "cargo".to_owned()
    } else {
        program
    };
    parts.push(program);
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Run a command with inherited stdio, echoing it first.
pub fn run(cmd: &mut Command) -> Result {
    let line = display(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Run a command quietly and return its stdout (plus stderr) if it succeeded.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Some(text)
}

/// Runs `cmd` and returns what it printed on stdout; an error that names
/// the command, with its stderr, if it cannot start or fails.
pub fn output(cmd: &mut Command) -> Result<String> {
    let line = display(cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{line}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{line}` printed something not UTF-8"))
}

/// Whether we run as root (then we may install system packages with apt).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().next().map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// Print a section heading.
pub fn heading(text: &str) {
    println!("\n==> {text}");
}
