//! `cargo xtask stamp-engine`: Trunk's post-build hook (see Trunk.toml).
//!
//! Trunk hashes the app's file names, so a browser never mixes an old app
//! with a new page, but it leaves a worker's files unhashed (`engine.js`,
//! `engine_bg.wasm`: a worker names them at run time). A browser that kept an
//! old engine would then run it under a new app, whose messages it cannot
//! read. This hook names the engine's build in index.html
//! (`<meta name="scale-lab-engine" content="…">`, a hash of the engine's and
//! its loaders' bytes); the app puts it on every URL of the engine
//! (`engine.js?v=…`, `sim-worker-loader.js?v=…`, and the loaders pass it
//! on), so each build of the engine has its own addresses in every cache.

use std::fs;
use std::path::PathBuf;

use crate::util::Result;

/// The files of the engine's build, in the staging directory; the hash
/// covers each one's name and bytes.
const ENGINE_FILES: [&str; 4] = [
    "engine.js",
    "engine_bg.wasm",
    "sim-worker-loader.js",
    "grade-worker-loader.js",
];

/// The meta element's name, which the app reads (`src/engine.rs`).
const META_NAME: &str = "scale-lab-engine";

pub fn main() -> Result {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").ok_or(
        "`stamp-engine` is Trunk's post-build hook and needs TRUNK_STAGING_DIR; \
         run `cargo xtask dist` or `cargo xtask serve` instead",
    )?;
    let dir = PathBuf::from(staging);
    let mut parts = Vec::new();
    for name in ENGINE_FILES {
        let bytes = fs::read(dir.join(name)).map_err(|e| {
            format!("stamp-engine: cannot read {name} in the staging directory: {e}")
        })?;
        parts.push((name, bytes));
    }
    let id = build_id(parts.iter().map(|(n, b)| (*n, b.as_slice())));
    let index = dir.join("index.html");
    let html = fs::read_to_string(&index)
        .map_err(|e| format!("stamp-engine: cannot read {}: {e}", index.display()))?;
    fs::write(&index, stamp(&html, &id)?)
        .map_err(|e| format!("stamp-engine: cannot write {}: {e}", index.display()))
}

/// A 64-bit FNV-1a hash of each file's name and bytes, as 16 hex digits:
/// stable across Rust versions and machines (it only busts caches).
fn build_id<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (name, bytes) in files {
        eat(name.as_bytes());
        eat(&[0]);
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(bytes);
    }
    format!("{h:016x}")
}

/// `html` with the engine's build id in a meta element at the end of its
/// head (replacing one already there).
fn stamp(html: &str, id: &str) -> Result<String> {
    let meta = format!(r#"<meta name="{META_NAME}" content="{id}">"#);
    let marker = format!(r#"<meta name="{META_NAME}""#);
    if let Some(start) = html.find(&marker) {
        let end = html[start..]
            .find('>')
            .map(|i| start + i + 1)
            .ok_or("stamp-engine: index.html has an unclosed engine meta element")?;
        return Ok(format!("{}{meta}{}", &html[..start], &html[end..]));
    }
    let head = html
        .find("</head>")
        .ok_or("stamp-engine: index.html has no </head> to put the engine's build id in")?;
    Ok(format!("{}{meta}{}", &html[..head], &html[head..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_id_changes_with_any_engine_file_and_nothing_else() {
        let files = |wasm: &'static [u8]| {
            [
                ("engine.js", &b"let wasm_bindgen;"[..]),
                ("engine_bg.wasm", wasm),
            ]
            .into_iter()
        };
        let a = build_id(files(b"\0asm1"));
        assert_eq!(a, build_id(files(b"\0asm1")));
        assert_ne!(a, build_id(files(b"\0asm2")));
        assert_eq!(a.len(), 16);
        // Bytes moved from one file to the next are another build.
        let split = |x: &'static [u8], y: &'static [u8]| {
            build_id([("engine.js", x), ("engine_bg.wasm", y)].into_iter())
        };
        assert_ne!(split(b"ab", b"c"), split(b"a", b"bc"));
    }

    #[test]
    fn the_id_goes_at_the_end_of_the_head_once() {
        let html = "<html><head><title>Scale Lab</title></head><body></body></html>";
        let once = stamp(html, "00ff").unwrap();
        assert_eq!(
            once,
            r#"<html><head><title>Scale Lab</title><meta name="scale-lab-engine" content="00ff"></head><body></body></html>"#
        );
        let again = stamp(&once, "abcd").unwrap();
        assert_eq!(again.matches("scale-lab-engine").count(), 1);
        assert!(again.contains(r#"content="abcd""#), "{again}");
    }

    #[test]
    fn a_page_without_a_head_is_refused_with_the_reason() {
        let why = stamp("<body></body>", "00ff").unwrap_err();
        assert!(why.contains("no </head>"), "{why}");
    }
}
