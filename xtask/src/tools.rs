//! Making sure the tools are there. Every check is a quick `--version` probe;
//! an install happens only when something is missing or at the wrong version,
//! and says what it installs and why.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use crate::util::{self, Result, cargo, command, probe, root, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs a newer rustc than the project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) cannot read what rustc 1.95 emits; npm's 132 can.
pub const WASM_OPT_VERSION: &str = "132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A Korean font, so Korean UI text renders in headless screenshots
/// (Debian package `fonts-nanum`).
pub const KOREAN_FONT: &str = "/usr/share/fonts/truetype/nanum";

/// Everything `trunk build` needs: the wasm target, wasm-bindgen at the
/// Cargo.lock version, wasm-opt 132, trunk, matching pins in Trunk.toml, and
/// the crates downloaded (trunk runs cargo with `--offline`).
pub fn ensure_site_tools() -> Result {
    ensure_wasm_target()?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    check_trunk_pins(&wasm_bindgen)?;
    ensure_wasm_opt()?;
    ensure_trunk()?;
    fetch_crates()?;
    println!(
        "ok: {WASM_TARGET} target, trunk {TRUNK_VERSION}, wasm-bindgen {wasm_bindgen}, \
         wasm-opt {WASM_OPT_VERSION} (.tools/)"
    );
    Ok(())
}

/// rustfmt and clippy (a minimal rustup profile lacks them).
pub fn ensure_components() -> Result {
    let mut missing = vec![];
    if probe(cargo().args(["fmt", "--version"])).is_none() {
        missing.push("rustfmt");
    }
    if probe(cargo().args(["clippy", "--version"])).is_none() {
        missing.push("clippy");
    }
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "installing Rust components {}: `cargo xtask test` checks formatting and lints",
        missing.join(", ")
    );
    require_rustup(&format!("rustup component add {}", missing.join(" ")))?;
    run(command("rustup").args(["component", "add"]).args(&missing))
}

pub fn ensure_wasm_target() -> Result {
    ensure_target(WASM_TARGET, "the app is compiled to WebAssembly")
}

/// The WASI target: the headless runner built as WebAssembly and run under
/// Node, to check it gives the same results as the native build and to
/// benchmark it.
pub const WASI_TARGET: &str = "wasm32-wasip1";

pub fn ensure_wasi_target() -> Result {
    ensure_target(
        WASI_TARGET,
        "the headless runner is also run as WebAssembly to compare results and speed",
    )
}

fn ensure_target(target: &str, why: &str) -> Result {
    let installed = probe(command("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == target) => Ok(()),
        Some(_) => {
            println!("installing the Rust target {target}: {why}");
            run(command("rustup").args(["target", "add", target]))
        }
        None => {
            // No rustup: accept a toolchain that ships the target in its sysroot.
            let sysroot = probe(command("rustc").args(["--print", "sysroot"])).unwrap_or_default();
            let dir = Path::new(sysroot.trim()).join("lib/rustlib").join(target);
            if dir.is_dir() {
                Ok(())
            } else {
                Err(format!(
                    "the Rust target {target} is missing and rustup was not found; \
                     install rustup (https://rustup.rs) or add the target to your toolchain"
                ))
            }
        }
    }
}

/// The peer simulators `cargo xtask bench` times on the same M/M/1 system,
/// from PyPI, pinned.
pub const PEERS: &[(&str, &str)] = &[("simpy", "4.1.2"), ("ciw", "3.2.7")];

/// A Python with [`PEERS`] installed, in the project-local venv
/// `.tools/venv` (made, and filled from PyPI, only when benchmarking, and
/// only when something is missing). Returns its `python`.
pub fn ensure_peers() -> Result<std::path::PathBuf> {
    let venv = crate::util::root().join(".tools").join("venv");
    let python = venv.join("bin").join("python");
    let versions = "import importlib.metadata as m, sys; \
                    print(' '.join(m.version(p) for p in sys.argv[1:]))";
    let names: Vec<&str> = PEERS.iter().map(|(n, _)| *n).collect();
    let wanted: Vec<&str> = PEERS.iter().map(|(_, v)| *v).collect();
    let have = || {
        probe(command(&python).args(["-c", versions]).args(&names))
            .is_some_and(|out| out.split_whitespace().eq(wanted.iter().copied()))
    };
    if have() {
        return Ok(python);
    }
    // A venv left half-made (say, by a python3 without ensurepip) has a
    // python but no pip: made again from scratch.
    let has_pip = || probe(command(&python).args(["-m", "pip", "--version"])).is_some();
    if !python.exists() || !has_pip() {
        println!("making a Python venv in .tools/venv for the peer simulators");
        run(command("python3").args(["-m", "venv", "--clear"]).arg(&venv)).map_err(|e| {
            format!("{e}\nthe peer benchmark needs Python 3 with venv (Debian: apt install python3-venv)")
        })?;
    }
    let pins: Vec<String> = PEERS.iter().map(|(n, v)| format!("{n}=={v}")).collect();
    println!("installing {} from PyPI into .tools/venv", pins.join(" "));
    run(command(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(&pins))?;
    if have() {
        Ok(python)
    } else {
        Err(format!(
            "{} did not install into .tools/venv",
            pins.join(" ")
        ))
    }
}

/// twiggy, the wasm size profiler `cargo xtask bench size` uses, pinned.
pub const TWIGGY_VERSION: &str = "0.8.0";

/// twiggy installed into `.tools/cargo` (only when measuring, and only when
/// missing: it is not needed to build, serve or test). Returns its path.
pub fn ensure_twiggy() -> Result<std::path::PathBuf> {
    let dir = crate::util::root().join(".tools").join("cargo");
    let twiggy = dir.join("bin").join("twiggy");
    let have = || {
        probe(command(&twiggy).arg("--version"))
            .as_deref()
            .and_then(version_in)
            .is_some_and(|v| v == TWIGGY_VERSION)
    };
    if have() {
        return Ok(twiggy);
    }
    println!(
        "installing twiggy {TWIGGY_VERSION} into .tools/cargo: it measures what the wasm holds (a few minutes, once)"
    );
    run(cargo()
        .args([
            "install",
            "--locked",
            "twiggy",
            "--version",
            TWIGGY_VERSION,
            "--root",
        ])
        .arg(&dir))?;
    if have() {
        Ok(twiggy)
    } else {
        Err(format!(
            "twiggy {TWIGGY_VERSION} did not install into .tools/cargo"
        ))
    }
}

pub fn ensure_trunk() -> Result {
    let found = probe(command("trunk").arg("--version"));
    if found.as_deref().and_then(version_in) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    println!(
        "installing trunk {TRUNK_VERSION} (found: {}): it builds and serves the web app \
         (0.22 needs a newer rustc; this takes several minutes, once)",
        describe(found.as_deref())
    );
    run(cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
    let found = probe(command("trunk").arg("--version"));
    if found.as_deref().and_then(version_in) != Some(TRUNK_VERSION) {
        return Err(format!(
            "installed trunk {TRUNK_VERSION}, but `trunk --version` still says {}; \
             another trunk comes first on PATH",
            describe(found.as_deref())
        ));
    }
    Ok(())
}

/// wasm-bindgen-cli at exactly the version of the `wasm-bindgen` crate in
/// Cargo.lock (they must match). Returns that version.
pub fn ensure_wasm_bindgen() -> Result<String> {
    let wanted = locked_version("wasm-bindgen")?;
    let cli = probe(command("wasm-bindgen").arg("--version"));
    let runner = probe(command("wasm-bindgen-test-runner").arg("--version"));
    let ok = |out: &Option<String>| {
        out.as_deref()
            .and_then(version_in)
            .is_some_and(|v| same_version(v, &wanted))
    };
    if ok(&cli) && ok(&runner) {
        return Ok(wanted);
    }
    println!(
        "installing wasm-bindgen-cli {wanted} (found: {}): it must match the wasm-bindgen \
         crate in Cargo.lock; it also provides wasm-bindgen-test-runner for the browser tests",
        describe(cli.as_deref())
    );
    // Not --locked: its lock file names a crate version the registry mirror lacks.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    let cli = probe(command("wasm-bindgen").arg("--version"));
    if !ok(&cli) {
        return Err(format!(
            "installed wasm-bindgen-cli {wanted}, but `wasm-bindgen --version` still says {}; \
             another wasm-bindgen comes first on PATH",
            describe(cli.as_deref())
        ));
    }
    Ok(wanted)
}

/// wasm-opt 132 from npm's `binaryen` package, in `.tools/` (first on PATH).
pub fn ensure_wasm_opt() -> Result {
    let wasm_opt = util::tools_bin().join("wasm-opt");
    let found = probe(command(&wasm_opt).arg("--version"));
    if found
        .as_deref()
        .and_then(version_in)
        .is_some_and(|v| same_version(v, WASM_OPT_VERSION))
    {
        return Ok(());
    }
    require_npm()?;
    println!(
        "installing wasm-opt {WASM_OPT_VERSION} (npm package binaryen@{WASM_OPT_VERSION}) into \
         .tools/: trunk shrinks the wasm with it, and Debian's binaryen is too old to read it"
    );
    run(command("npm")
        .args(["install", "--prefix", ".tools", "--no-audit", "--no-fund"])
        .arg(format!("binaryen@{WASM_OPT_VERSION}"))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    let found = probe(command(&wasm_opt).arg("--version"));
    if !found
        .as_deref()
        .and_then(version_in)
        .is_some_and(|v| same_version(v, WASM_OPT_VERSION))
    {
        return Err(format!(
            "installed binaryen@{WASM_OPT_VERSION}, but `{} --version` says {}",
            wasm_opt.display(),
            describe(found.as_deref())
        ));
    }
    Ok(())
}

/// Trunk.toml pins the tool versions so trunk fails loudly on a mismatch
/// instead of trying to download; the pins must agree with Cargo.lock.
pub fn check_trunk_pins(wasm_bindgen: &str) -> Result {
    let path = root().join("Trunk.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let pinned = toml_string(&text, "tools", "wasm_bindgen");
    if pinned.as_deref() != Some(wasm_bindgen) {
        return Err(format!(
            "Trunk.toml pins wasm-bindgen {}, but Cargo.lock has wasm-bindgen {wasm_bindgen}.\n\
             fix: set `wasm_bindgen = \"{wasm_bindgen}\"` under [tools] in Trunk.toml \
             (and keep `wasm-bindgen = \"={wasm_bindgen}\"` in Cargo.toml)",
            pinned.as_deref().unwrap_or("nothing")
        ));
    }
    let wanted_opt = format!("version_{WASM_OPT_VERSION}");
    let pinned = toml_string(&text, "tools", "wasm_opt");
    if pinned.as_deref() != Some(wanted_opt.as_str()) {
        return Err(format!(
            "Trunk.toml pins wasm-opt {}, but xtask installs {wanted_opt}.\n\
             fix: set `wasm_opt = \"{wanted_opt}\"` under [tools] in Trunk.toml \
             (or change WASM_OPT_VERSION in xtask/src/tools.rs)",
            pinned.as_deref().unwrap_or("nothing")
        ));
    }
    Ok(())
}

/// Download the crates (a no-op when they are there), because trunk runs
/// cargo with `--offline`.
pub fn fetch_crates() -> Result {
    if probe(cargo().args(["fetch", "--offline"])).is_some() {
        return Ok(());
    }
    println!("downloading crates: trunk builds offline");
    run(cargo().arg("fetch"))
}

/// Chromium and chromedriver from apt (for the browser and end-to-end tests).
pub fn ensure_chromium() -> Result {
    let have = |p: &str| Path::new(p).exists();
    if have(CHROMIUM) && have(CHROMEDRIVER) && have(KOREAN_FONT) {
        return Ok(());
    }
    let install = "apt-get update && apt-get install -y chromium chromium-driver fonts-nanum";
    if !util::is_root() {
        return Err(format!(
            "{CHROMIUM} and {CHROMEDRIVER} are needed for the browser tests.\n\
             install them with: sudo sh -c '{install}'"
        ));
    }
    println!(
        "installing chromium, chromium-driver and fonts-nanum with apt: the browser tests run \
         in headless Chromium through chromedriver, and Korean text needs a font"
    );
    run(command("apt-get").arg("update"))?;
    // With recommends, as checked on this machine class: they bring the
    // fonts Chromium renders Latin text with.
    run(command("apt-get")
        .args([
            "install",
            "-y",
            "chromium",
            "chromium-driver",
            "fonts-nanum",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    for path in [CHROMIUM, CHROMEDRIVER, KOREAN_FONT] {
        if !Path::new(path).exists() {
            return Err(format!(
                "installed chromium with apt, but {path} is still missing"
            ));
        }
    }
    Ok(())
}

/// Playwright for the end-to-end tests: `npm ci` in tests/e2e when
/// node_modules is missing or older than package-lock.json. Never downloads
/// a browser (the tests use the system Chromium).
pub fn ensure_playwright() -> Result {
    let dir = root().join("tests").join("e2e");
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let cli = dir.join("node_modules").join(".bin").join("playwright");
    let fresh = cli.exists()
        && match (modified(&installed), modified(&lock)) {
            (Some(installed), Some(lock)) => installed >= lock,
            _ => false,
        };
    if fresh {
        return Ok(());
    }
    require_npm()?;
    println!(
        "installing Playwright with `npm ci` in tests/e2e: it drives the built site in \
         Chromium for the end-to-end tests (no browser download)"
    );
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn require_npm() -> Result {
    if probe(command("npm").arg("--version")).is_some()
        && probe(command("node").arg("--version")).is_some()
    {
        Ok(())
    } else {
        Err(
            "Node.js (20 or newer) with npm is needed for wasm-opt and Playwright; \
             install it (e.g. `apt-get install nodejs npm` on Debian 13, or from nodejs.org)"
                .to_owned(),
        )
    }
}

fn require_rustup(fix: &str) -> Result {
    if probe(command("rustup").arg("--version")).is_some() {
        Ok(())
    } else {
        Err(format!(
            "rustup was not found; run `{fix}` with your toolchain manager"
        ))
    }
}

fn describe(version_output: Option<&str>) -> String {
    match version_output {
        None => "not installed".to_owned(),
        Some(out) => version_in(out).unwrap_or("an unknown version").to_owned(),
    }
}

/// The version of `name` in Cargo.lock (exactly one is expected).
fn locked_version(name: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| {
        format!("cannot read Cargo.lock ({e}); run `cargo generate-lockfile` first")
    })?;
    let versions = lock_versions(&lock, name);
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{name}` package")),
        many => Err(format!(
            "Cargo.lock has several versions of `{name}` ({}); there must be exactly one, \
             matching wasm-bindgen-cli",
            many.join(", ")
        )),
    }
}

// ---- pure parsing, unit-tested below ----

/// All versions of package `name` in the text of a Cargo.lock.
pub fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = vec![];
    let mut current_name: Option<String> = None;
    let mut current_version: Option<String> = None;
    let mut flush = |n: &mut Option<String>, v: &mut Option<String>| {
        if let (Some(n), Some(v)) = (n.take(), v.take())
            && n == name
            && !versions.contains(&v)
        {
            versions.push(v);
        }
    };
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            flush(&mut current_name, &mut current_version);
        } else if let Some((key, value)) = key_value(line) {
            match key {
                "name" => current_name = Some(value),
                "version" => current_version = Some(value),
                _ => {}
            }
        }
    }
    flush(&mut current_name, &mut current_version);
    versions
}

/// A string value `key = "value"` in `[section]` of a simple TOML file.
pub fn toml_string(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_section = line.trim_start_matches('[').trim_end_matches(']').trim() == section;
        } else if in_section
            && let Some((k, v)) = key_value(line)
            && k == key
        {
            return Some(v);
        }
    }
    None
}

/// `key = "value"` → (key, value); anything else → None.
fn key_value(line: &str) -> Option<(&str, String)> {
    let (key, value) = line.split_once('=')?;
    let value = value.trim();
    let value = value.strip_prefix('"')?.strip_suffix('"')?;
    Some((key.trim(), value.to_owned()))
}

/// The first version-looking word in a tool's `--version` output:
/// "trunk 0.21.14" → "0.21.14", "wasm-opt version 132 (version_132)" → "132".
pub fn version_in(output: &str) -> Option<&str> {
    output.split_whitespace().find_map(|word| {
        let word = word.strip_prefix('v').unwrap_or(word);
        let starts_with_digit = word.chars().next().is_some_and(|c| c.is_ascii_digit());
        (starts_with_digit && parse_version(word).is_some()).then_some(word)
    })
}

/// Numeric components of a version: "0.2.130" → [0, 2, 130]; accepts a
/// leading "v" or "version_" and ignores "-pre"/"+build" suffixes.
pub fn parse_version(text: &str) -> Option<Vec<u64>> {
    let text = text.trim();
    let text = text.strip_prefix("version_").unwrap_or(text);
    let text = text.strip_prefix('v').unwrap_or(text);
    let core = text.split(['-', '+']).next()?;
    core.split('.').map(|part| part.parse().ok()).collect()
}

/// Whether two versions are the same release ("132" == "132.0.0" == "version_132").
pub fn same_version(a: &str, b: &str) -> bool {
    match (parse_version(a), parse_version(b)) {
        (Some(mut a), Some(mut b)) => {
            let len = a.len().max(b.len());
            a.resize(len, 0);
            b.resize(len, 0);
            a == b
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"
dependencies = [
 "cfg-if",
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen-test"
version = "0.3.80"

[[package]]
name = "scale-lab"
version = "0.1.0"
"#;

    #[test]
    fn finds_the_locked_version_of_a_package() {
        assert_eq!(lock_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(lock_versions(LOCK, "wasm-bindgen-test"), ["0.3.80"]);
        assert_eq!(lock_versions(LOCK, "scale-lab"), ["0.1.0"]);
    }

    #[test]
    fn the_lock_file_format_version_is_not_a_package() {
        assert!(lock_versions(LOCK, "missing").is_empty());
        assert!(lock_versions("version = 4\n", "wasm-bindgen").is_empty());
    }

    #[test]
    fn reports_every_version_when_a_package_is_locked_twice() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(lock_versions(&lock, "wasm-bindgen"), ["0.2.130", "0.2.99"]);
    }

    #[test]
    fn reads_a_string_from_a_toml_section() {
        let toml = "[build]\ntarget = \"index.html\"\n\n[tools]\n# pins\n\
                    wasm_bindgen = \"0.2.130\" # must match Cargo.lock\nwasm_opt = \"version_132\"\n\
                    [serve]\nport = 8080\n";
        assert_eq!(
            toml_string(toml, "tools", "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_string(toml, "tools", "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(
            toml_string(toml, "build", "target").as_deref(),
            Some("index.html")
        );
        assert_eq!(toml_string(toml, "serve", "wasm_opt"), None);
        assert_eq!(toml_string(toml, "serve", "port"), None, "not a string");
    }

    #[test]
    fn finds_the_version_in_tool_output() {
        assert_eq!(version_in("trunk 0.21.14\n"), Some("0.21.14"));
        assert_eq!(version_in("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(
            version_in("wasm-bindgen-test-runner 0.2.130"),
            Some("0.2.130")
        );
        assert_eq!(
            version_in("wasm-opt version 132 (version_132)"),
            Some("132")
        );
        assert_eq!(version_in("v20.20.2"), Some("20.20.2"));
        assert_eq!(version_in("command not found"), None);
    }

    #[test]
    fn compares_versions_by_their_numbers() {
        assert!(same_version("0.2.130", "0.2.130"));
        assert!(same_version("132", "132.0.0"));
        assert!(same_version("version_132", "132"));
        assert!(same_version("v0.21.14", "0.21.14"));
        assert!(!same_version("0.2.130", "0.2.13"));
        assert!(!same_version("0.2.130", "0.2.131"));
        assert!(!same_version("0.22.0", "0.21.14"));
        assert!(!same_version("132", "108"));
        assert!(!same_version("garbage", "garbage"));
    }

    #[test]
    fn parses_versions() {
        assert_eq!(parse_version("0.21.14"), Some(vec![0, 21, 14]));
        assert_eq!(parse_version("1.65.1-beta.2"), Some(vec![1, 65, 1]));
        assert_eq!(parse_version("version_132"), Some(vec![132]));
        assert_eq!(parse_version("1.x"), None);
        assert_eq!(parse_version(""), None);
    }
}
