//! `cargo xtask dist`: release build of the site into `dist/`, then a table of
//! every file's raw and gzipped size.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::tools;
use crate::util::{Result, command, heading, root, run};

pub fn main() -> Result {
    heading("tools");
    tools::ensure_site_tools()?;
    build()
}

/// `trunk build --release --offline` into dist/, then the size report.
/// Expects the site tools to be in place (see `tools::ensure_site_tools`).
pub fn build() -> Result {
    heading("trunk build --release");
    run(command("trunk")
        .args(["build", "--release", "--offline=true"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))?;
    heading("dist/ sizes");
    print_sizes(&root().join("dist"))
}

struct Entry {
    path: String,
    raw: u64,
    gzip: u64,
}

fn print_sizes(dist: &Path) -> Result {
    let mut files = vec![];
    collect_files(dist, &mut files).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    files.sort();
    let mut entries = vec![];
    for file in files {
        let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let rel = file.strip_prefix(dist).unwrap_or(&file);
        entries.push(Entry {
            path: rel.to_string_lossy().into_owned(),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes),
        });
    }
    if entries.is_empty() {
        return Err(format!("{} is empty after the build", dist.display()));
    }
    print!("{}", size_table(&entries));
    let index = fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    print!("{}", load_totals(&index, &entries));
    Ok(())
}

/// The most a first load may be, gzipped [bytes] (issue 17's budget).
const FIRST_LOAD_BUDGET: u64 = 200 * 1024;

/// The files the first load needs: index.html and every file of dist/ it
/// names by absolute path (stylesheet, icon, script, the app's wasm).
fn first_load<'a>(index_html: &str, entries: &'a [Entry]) -> Vec<&'a Entry> {
    let named: Vec<&str> = index_html
        .split(['"', '\''])
        .filter_map(|part| part.strip_prefix('/'))
        .collect();
    entries
        .iter()
        .filter(|e| e.path == "index.html" || named.contains(&e.path.as_str()))
        .collect()
}

/// The first load's total and everything's, gzipped, against the budget.
fn load_totals(index_html: &str, entries: &[Entry]) -> String {
    let first: u64 = first_load(index_html, entries).iter().map(|e| e.gzip).sum();
    let all: u64 = entries.iter().map(|e| e.gzip).sum();
    let verdict = if first <= FIRST_LOAD_BUDGET {
        format!("within the {} budget", human(FIRST_LOAD_BUDGET))
    } else {
        format!(
            "{} over the {} budget",
            human(first - FIRST_LOAD_BUDGET),
            human(FIRST_LOAD_BUDGET)
        )
    };
    format!(
        "first load (index.html and what it names), gzip: {} — {verdict}\nfull site, gzip: {}\n",
        human(first),
        human(all)
    )
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Size after gzip at the default level (what a typical server sends).
fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len() as u64
}

fn size_table(entries: &[Entry]) -> String {
    let width = entries
        .iter()
        .map(|e| e.path.len())
        .chain(["total".len()])
        .max()
        .unwrap_or(0);
    let mut out = format!("{:<width$}  {:>10}  {:>10}\n", "file", "size", "gzip");
    for e in entries {
        out += &format!(
            "{:<width$}  {:>10}  {:>10}\n",
            e.path,
            human(e.raw),
            human(e.gzip)
        );
    }
    let raw: u64 = entries.iter().map(|e| e.raw).sum();
    let gzip: u64 = entries.iter().map(|e| e.gzip).sum();
    out += &format!(
        "{:<width$}  {:>10}  {:>10}\n",
        "total",
        human(raw),
        human(gzip)
    );
    out
}

/// Bytes for small sizes, KiB/MiB with one decimal above.
fn human(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.2} MiB", b / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_load_is_index_html_and_what_it_names() {
        let entry = |path: &str, gzip: u64| Entry {
            path: path.into(),
            raw: gzip * 3,
            gzip,
        };
        let entries = [
            entry("index.html", 1_000),
            entry("app.js", 10_000),
            entry("app_bg.wasm", 300_000),
            entry("sim_bg.wasm", 400_000),
            entry("embed-example.html", 2_000),
        ];
        let html = r#"<link rel="preload" href="/app_bg.wasm"><script type="module">import init from '/app.js';</script>"#;
        let first: Vec<&str> = first_load(html, &entries)
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(first, ["index.html", "app.js", "app_bg.wasm"]);
        let totals = load_totals(html, &entries);
        assert!(totals.contains("first load (index.html and what it names), gzip: 303.7 KiB — 103.7 KiB over the 200.0 KiB budget"), "{totals}");
        assert!(totals.contains("full site, gzip: 696.3 KiB"), "{totals}");
    }

    #[test]
    fn sizes_read_like_a_person_would_write_them() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(1023), "1023 B");
        assert_eq!(human(1024), "1.0 KiB");
        assert_eq!(human(123_456), "120.6 KiB");
        assert_eq!(human(3 * 1024 * 1024), "3.00 MiB");
    }

    #[test]
    fn gzip_shrinks_repetitive_text() {
        let text = "abc".repeat(1000);
        let gz = gzip_len(text.as_bytes());
        assert!(gz > 0 && gz < 100, "{gz}");
    }

    #[test]
    fn the_table_lists_each_file_and_the_total() {
        let table = size_table(&[
            Entry {
                path: "index.html".into(),
                raw: 900,
                gzip: 400,
            },
            Entry {
                path: "scale-lab_bg.wasm".into(),
                raw: 2048,
                gzip: 1024,
            },
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("index.html ") && lines[1].ends_with("400 B"));
        assert!(lines[3].starts_with("total ") && lines[3].contains("2.9 KiB"));
        assert!(lines[3].ends_with("1.4 KiB"));
    }
}
