//! Reading a node's checked parameter values into its kind's typed
//! parameters, once, while the design is validated.
//!
//! Each kind's module says how in one `read` function; the simulation then
//! uses plain fields and never looks a parameter up by its key while it
//! runs. A key or option a kind's `read` asks for that its catalog entry does
//! not have is a programming error: `every_kind_reads_exactly_its_catalog`
//! (in the kinds registry) makes every kind read every valid value, so such a
//! slip fails the tests instead of a user's run.

use super::Param;
use crate::catalog::{Kind, ParamKind};
use std::cell::RefCell;

/// The checked values of one node, as its kind's `read` sees them.
pub struct Reader<'a> {
    kind: Kind,
    values: &'a [(&'static str, Param)],
    /// Keys asked for that the kind does not have, or options that are not
    /// among the key's options: empty unless a kind's `read` has a slip.
    slips: RefCell<Vec<String>>,
    /// Every key asked for, so a test can see nothing was left unread.
    asked: RefCell<Vec<&'static str>>,
}

impl<'a> Reader<'a> {
    /// A reader over `values`, checked against `kind`'s catalog entry.
    pub fn new(kind: Kind, values: &'a [(&'static str, Param)]) -> Self {
        Reader {
            kind,
            values,
            slips: RefCell::new(Vec::new()),
            asked: RefCell::new(Vec::new()),
        }
    }

    fn find(&self, key: &str) -> Option<&'a Param> {
        match self.values.iter().find(|(k, _)| *k == key) {
            Some((k, v)) => {
                self.asked.borrow_mut().push(k);
                Some(v)
            }
            None => {
                self.slip(format!("{:?} has no parameter {key}", self.kind));
                None
            }
        }
    }

    fn slip(&self, what: String) {
        debug_assert!(false, "{what}");
        self.slips.borrow_mut().push(what);
    }

    /// A numeric parameter, in its catalog unit (0 after a slip).
    pub fn number(&self, key: &str) -> f64 {
        match self.find(key) {
            Some(Param::Number(v)) => *v,
            Some(Param::Choice(_)) => {
                self.slip(format!("{:?}.{key} is a choice, not a number", self.kind));
                0.0
            }
            None => 0.0,
        }
    }

    /// A whole-number parameter (catalog `count`), as `u64`.
    pub fn count(&self, key: &str) -> u64 {
        // Validated: whole, non-negative and within the catalog's range.
        self.number(key) as u64
    }

    /// A duration parameter given in milliseconds [ns].
    pub fn ms(&self, key: &str) -> crate::time::Nanos {
        crate::time::from_ms(self.number(key))
    }

    /// A duration parameter given in seconds [ns].
    pub fn secs(&self, key: &str) -> crate::time::Nanos {
        crate::time::from_secs(self.number(key))
    }

    /// A choice parameter's option name ("" after a slip).
    pub fn choice(&self, key: &str) -> &'static str {
        match self.find(key) {
            Some(Param::Choice(v)) => v,
            Some(Param::Number(_)) => {
                self.slip(format!("{:?}.{key} is a number, not a choice", self.kind));
                ""
            }
            None => "",
        }
    }

    /// Whether choice `key` is `option`; `option` must be one of the key's
    /// options, so a misspelt option is a slip rather than a silent `false`.
    pub fn is(&self, key: &str, option: &str) -> bool {
        let known = self.kind.spec().params.iter().any(|p| {
            p.key == key
                && matches!(p.kind, ParamKind::Choice { options, .. } if options.contains(&option))
        });
        if !known {
            self.slip(format!("{:?}.{key} has no option {option}", self.kind));
        }
        self.choice(key) == option
    }

    /// An instance size (catalog `size_param`).
    pub fn size(&self) -> &'static crate::catalog::Size {
        let name = self.choice("size");
        crate::catalog::size(name).unwrap_or_else(|| {
            self.slip(format!("{:?} has no size {name}", self.kind));
            &crate::catalog::SIZES[0]
        })
    }

    /// An on/off choice.
    pub fn on(&self, key: &str) -> bool {
        self.is(key, "on")
    }

    /// What went wrong while reading (empty when the kind's `read` matches
    /// its catalog entry), and the keys it read.
    pub fn finish(self) -> (Vec<String>, Vec<&'static str>) {
        (self.slips.into_inner(), self.asked.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CATALOG;
    use crate::design::default_param;

    /// Every kind's `read`, given any valid value of any one parameter (the
    /// others at their defaults), asks only for keys and options its catalog
    /// entry has, and asks for every key: a misspelt key or option, or a
    /// parameter the simulation ignores, fails here.
    #[test]
    fn every_kind_reads_exactly_its_catalog() {
        for spec in CATALOG {
            let defaults: Vec<(&'static str, Param)> = spec
                .params
                .iter()
                .map(|p| (p.key, default_param(p)))
                .collect();
            let mut cases = vec![defaults.clone()];
            for (i, p) in spec.params.iter().enumerate() {
                match p.kind {
                    ParamKind::Choice { options, .. } => {
                        for o in options {
                            let mut values = defaults.clone();
                            values[i].1 = Param::Choice(o);
                            cases.push(values);
                        }
                    }
                    ParamKind::Number { min, max, .. } => {
                        for v in [min, max] {
                            let mut values = defaults.clone();
                            values[i].1 = Param::Number(v);
                            cases.push(values);
                        }
                    }
                }
            }
            for values in &cases {
                let r = Reader::new(spec.kind, values);
                let _ = spec.kind.read(&r);
                let (slips, mut asked) = r.finish();
                assert_eq!(slips, Vec::<String>::new(), "{:?}", spec.kind);
                asked.sort_unstable();
                asked.dedup();
                let mut keys: Vec<&str> = spec.params.iter().map(|p| p.key).collect();
                keys.sort_unstable();
                assert_eq!(asked, keys, "{:?} reads every parameter", spec.kind);
            }
        }
    }
}
