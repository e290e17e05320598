//! `cargo xtask bench size`: what the app's wasm holds, by twiggy, grouped
//! by the crate or module each function belongs to — to choose what to move
//! out of the first load by measuring.
//!
//! twiggy reads the wasm cargo builds before wasm-bindgen and wasm-opt
//! (`target/wasm32-unknown-unknown/release/scale-lab.wasm`), which still has
//! its function names. Shares are of what ships: the names and
//! wasm-bindgen's own section are counted apart, since neither reaches
//! dist/.

use crate::util::{Result, command, heading, output, root};
use crate::{dist, tools};

/// Whether a twiggy item name belongs to a part.
type Test = fn(&str) -> bool;

/// Groups, in the order printed: (label, test on a twiggy item name).
const PARTS: &[(&str, Test)] = &[
    (
        "data (.rodata): texts in two languages, lessons and examples as JSON",
        |n| n.starts_with("data segment"),
    ),
    ("scalesim::model (the simulation engine)", |n| {
        crate_of(n).starts_with("scalesim::model")
    }),
    ("scalesim: design, lesson, catalog, other", |n| {
        crate_of(n).starts_with("scalesim")
    }),
    ("scale_lab (app, panels, canvas, share, state)", |n| {
        crate_of(n).starts_with("scale_lab")
    }),
    ("yew", |n| crate_of(n).starts_with("yew")),
    ("serde, serde_json", |n| crate_of(n).starts_with("serde")),
    (
        "core, alloc, std (formatting, collections, generic code)",
        |n| {
            let c = crate_of(n);
            ["core", "alloc", "std"]
                .iter()
                .any(|k| c == *k || c.starts_with(&format!("{k}::")))
        },
    ),
    (
        "everything else (hashbrown, dlmalloc, bindings, …)",
        |_| true,
    ),
];

/// Items that never reach dist/: the function names, and wasm-bindgen's
/// description of the bindings (a custom section, and a `__wbindgen_describe`
/// function and export per binding), which wasm-bindgen removes.
fn not_shipped(name: &str) -> bool {
    [
        "function names",
        "__wasm_bindgen_unstable",
        "__wbindgen_describe",
    ]
    .iter()
    .any(|k| name.contains(k))
}

/// The path a twiggy item name starts with (`<scale_lab::app::App as
/// yew::…>::run::…` → `scale_lab::app::App`).
fn crate_of(name: &str) -> &str {
    let name = name.trim_start_matches('<').trim_start_matches('&');
    let end = name.find([' ', '<', '>', '(']).unwrap_or(name.len());
    &name[..end]
}

/// The fields of one CSV line (quoted fields, `""` for a quote inside).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = fields.last_mut() {
                    f.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

/// (name, shallow bytes) of every item in `twiggy top -f csv` output.
fn items(csv: &str) -> Vec<(String, u64)> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let f = csv_fields(line);
            Some((f.first()?.clone(), f.get(1)?.parse().ok()?))
        })
        .collect()
}

/// Bytes per part of [`PARTS`], and the bytes that do not ship.
fn group(items: &[(String, u64)]) -> (Vec<u64>, u64) {
    let mut sums = vec![0; PARTS.len()];
    let mut unshipped = 0;
    for (name, bytes) in items {
        if not_shipped(name) {
            unshipped += bytes;
        } else if let Some(i) = PARTS.iter().position(|(_, test)| test(name)) {
            sums[i] += bytes;
        }
    }
    (sums, unshipped)
}

pub fn main() -> Result {
    heading("tools");
    tools::ensure_site_tools()?;
    let twiggy = tools::ensure_twiggy()?;
    dist::build()?;
    let wasm = root().join("target/wasm32-unknown-unknown/release/scale-lab.wasm");
    heading("what the wasm holds (twiggy)");
    let csv = output(
        command(&twiggy)
            .args(["top", "-n", "1000000", "-f", "csv"])
            .arg(&wasm),
    )?;
    let all = items(&csv);
    let (sums, unshipped) = group(&all);
    let shipped: u64 = sums.iter().sum();
    let kib = |b: u64| b as f64 / 1024.0;
    println!("{} before wasm-opt, shallow bytes:\n", wasm.display());
    println!("| part | KiB | share |");
    println!("| --- | ---: | ---: |");
    for ((label, _), bytes) in PARTS.iter().zip(&sums) {
        println!(
            "| {label} | {:.0} | {:.0} % |",
            kib(*bytes),
            *bytes as f64 / shipped.max(1) as f64 * 100.0
        );
    }
    println!(
        "\nshipped parts: {:.0} KiB; not shipped (function names, wasm-bindgen's descriptions): {:.0} KiB",
        kib(shipped),
        kib(unshipped)
    );
    println!("\nlargest items:");
    let mut top: Vec<&(String, u64)> = all.iter().filter(|(n, _)| !not_shipped(n)).collect();
    top.sort_by_key(|item| std::cmp::Reverse(item.1));
    for (name, bytes) in top.into_iter().take(15) {
        let short: String = name.chars().take(110).collect();
        println!("  {:>7.1} KiB  {short}", kib(*bytes));
    }
    println!("record these in docs/performance.md");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_read_and_grouped_by_crate() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
                   \"\"\"function names\"\" subsection\",500,10.0,,\n\
                   custom section '__wasm_bindgen_unstable',300,8.0,,\n\
                   \"export \"\"__wbindgen_describe___wbg_x\"\"\",60,0.1,,\n\
                   __wbindgen_describe___wbg_x,40,0.1,,\n\
                   \"data segment \"\".rodata\"\"\",300,6.0,,\n\
                   <scale_lab::app::App as yew::functional::FunctionProvider>::run::h1,200,4.0,,\n\
                   scalesim::model::Simulation::step::h2,100,2.0,,\n\
                   scalesim::design::validate::h3,50,1.0,,\n\
                   \"<alloc::vec::Vec<T> as core::clone::Clone>::clone::h4\",40,1.0,,\n\
                   yew::html::h5,30,1.0,,\n\
                   serde_json::de::h6,20,1.0,,\n\
                   dlmalloc::h7,10,1.0,,\n";
        let all = items(csv);
        assert_eq!(all.len(), 12);
        assert_eq!(all[4], ("data segment \".rodata\"".to_string(), 300));
        let (sums, unshipped) = group(&all);
        assert_eq!(unshipped, 900);
        assert_eq!(sums, vec![300, 100, 50, 200, 30, 20, 40, 10]);
        assert_eq!(crate_of("<&T as core::fmt::Debug>::fmt"), "T");
        assert_eq!(crate_of("core::fmt::write::h1"), "core::fmt::write::h1");
    }
}
