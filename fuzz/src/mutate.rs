//! Mutations of real inputs: bytes changed, cut, repeated or spliced, and
//! JSON values replaced by awkward ones (wrong types, extremes, deep
//! nesting), the way a file gets damaged, hand-edited or truncated.

use crate::make::{AWKWARD_NUMBERS, Dice};
use serde_json::Value;

/// Texts that stand in for a JSON value.
const AWKWARD_JSON: &[&str] = &[
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "1e-400",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

/// `bytes` changed in one to four places.
pub fn bytes(d: &mut Dice, mut b: Vec<u8>, other: &[u8]) -> Vec<u8> {
    for _ in 0..d.between(1, 4) {
        let len = b.len();
        match d.below(8) {
            0 if len > 0 => {
                let i = d.below(len);
                b[i] ^= 1 << d.below(8);
            }
            1 if len > 0 => {
                let i = d.below(len);
                b[i] = d.u64() as u8;
            }
            2 if len > 0 => {
                let at = d.below(len);
                let n = d.between(1, 64.min(len - at));
                b.drain(at..at + n);
            }
            3 => {
                let at = d.below(len + 1);
                let n = d.between(1, 16);
                let junk: Vec<u8> = (0..n)
                    .map(|_| *d.pick(b"{}[],:\"0123456789.eE-+ \\ntrue"))
                    .collect();
                b.splice(at..at, junk);
            }
            4 if len > 0 => {
                b.truncate(d.below(len));
            }
            5 if len > 1 => {
                let at = d.below(len);
                let n = d.between(1, 256.min(len - at));
                let copy = b[at..at + n].to_vec();
                let to = d.below(len + 1);
                b.splice(to..to, copy);
            }
            6 if !other.is_empty() => {
                let at = d.below(len + 1);
                let from = d.below(other.len());
                let n = d.between(1, 512.min(other.len() - from));
                b.splice(
                    at..b.len().min(at + n),
                    other[from..from + n].iter().copied(),
                );
            }
            _ => {
                const PREFIXES: &[&[u8]] =
                    &[b"\xef\xbb\xbf", b" \n\t", b"\xff\xfe", b"\x00", b"//"];
                let prefix = PREFIXES[d.below(PREFIXES.len())];
                b.splice(0..0, prefix.iter().copied());
            }
        }
    }
    b
}

/// `text` parsed as JSON with one to three values replaced or removed; the
/// text itself with bytes mutated when it is not JSON.
pub fn json(d: &mut Dice, text: &str, other: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(text) else {
        return String::from_utf8_lossy(&bytes(d, text.as_bytes().to_vec(), other.as_bytes()))
            .into_owned();
    };
    for _ in 0..d.between(1, 3) {
        let count = count(&v);
        let target = d.below(count);
        let mut seen = 0;
        replace_nth(d, &mut v, target, &mut seen);
    }
    let mut out = v.to_string();
    // Some replacements are only expressible as text (numbers past f64).
    if d.chance(0.2) {
        let awkward = *d.pick(AWKWARD_JSON);
        if let Some(at) = out.find(": ").or_else(|| out.find(':')) {
            let end = out[at + 1..]
                .find([',', '}', ']'])
                .map_or(out.len(), |e| at + 1 + e);
            out.replace_range(at + 1..end, awkward);
        }
    }
    out
}

/// How many values `v` holds, itself included.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// Replaces the `target`-th value (depth first) in `v`.
fn replace_nth(d: &mut Dice, v: &mut Value, target: usize, seen: &mut usize) -> bool {
    if *seen == target {
        *v = awkward_value(d, v);
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(a) => {
            for i in 0..a.len() {
                if replace_nth(d, &mut a[i], target, seen) {
                    if d.chance(0.1) {
                        a.remove(i);
                    } else if d.chance(0.1) {
                        let copy = a[i].clone();
                        a.push(copy);
                    }
                    return true;
                }
            }
            false
        }
        Value::Object(o) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if replace_nth(d, o.get_mut(&k).expect("key"), target, seen) {
                    if d.chance(0.15) {
                        o.remove(&k);
                    } else if d.chance(0.05) {
                        let v = o.remove(&k).expect("key");
                        o.insert(format!("{k}_x"), v);
                    }
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}

/// A value to put where `old` was.
fn awkward_value(d: &mut Dice, old: &Value) -> Value {
    match d.below(8) {
        0 => Value::Null,
        1 => Value::Bool(d.chance(0.5)),
        2 | 3 => serde_json::Number::from_f64(*d.pick(AWKWARD_NUMBERS))
            .map_or(Value::Null, Value::Number),
        4 => Value::String(match old {
            Value::String(s) => format!("{s}{s}"),
            _ => "replica".into(),
        }),
        5 => Value::Array(vec![old.clone(), old.clone()]),
        6 => Value::Object(Default::default()),
        _ => match old {
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(0.0);
                let scaled = x * [-1.0, 0.5, 2.0, 1e6, 1e-6][d.below(5)];
                serde_json::Number::from_f64(scaled).map_or(Value::Null, Value::Number)
            }
            Value::String(_) => Value::String("x".repeat(d.between(0, 300))),
            other => other.clone(),
        },
    }
}

/// A share-link fragment (`design=1.<base64url>`) changed in the ways links are
/// damaged: cut short, a character changed, the version or prefix edited,
/// or the compressed bytes changed before encoding.
pub fn link(d: &mut Dice, fragment: &str, packed: Vec<u8>) -> String {
    use scale_lab::share;
    let mut f = fragment.to_string();
    match d.below(6) {
        0 => {
            let cut = d.below(f.len() + 1);
            f.truncate(cut);
        }
        1 if !f.is_empty() => {
            let i = d.below(f.len());
            let c = *d.pick(b"AZaz09-_=.+/%#~ \x7f");
            let mut bytes = f.into_bytes();
            bytes[i] = c;
            f = String::from_utf8_lossy(&bytes).into_owned();
        }
        2 => {
            let v = *d.pick(&["0", "2", "99", "", "-1", "1.1", "4294967296"]);
            if let Some((_, rest)) = f.split_once('.') {
                f = format!("{}{v}.{rest}", share::FRAGMENT_PREFIX);
            }
        }
        3 => {
            let to = ["", "Design=", "design", "d="][d.below(4)];
            f = f.replacen("design=", to, 1);
        }
        4 => {
            let packed = bytes(d, packed, &[]);
            f = share::fragment_of(&packed);
        }
        _ => f.push_str(&"A".repeat(d.between(1, 100))),
    }
    f
}
