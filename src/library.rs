//! The learner's designs: a list kept in the browser, each with a name, the
//! time it was last saved and a small picture. Opening an example, a file, a
//! link or a lesson adds an entry; nothing replaces another. This module is
//! the list itself (pure, tested natively); [`crate::persist`] stores it.

use scalesim::catalog::Kind;
use scalesim::design::DesignDoc;
use serde::{Deserialize, Serialize};

/// Width of a thumbnail's picture [thumbnail units].
pub const THUMB_W: f64 = 120.0;
/// Height of a thumbnail's picture [thumbnail units].
pub const THUMB_H: f64 = 72.0;
/// At most this many components are drawn in a thumbnail (the first ones).
pub const THUMB_NODES: usize = 80;
/// At most this many connections are drawn in a thumbnail.
pub const THUMB_EDGES: usize = 160;
/// Longest name kept [characters].
pub const MAX_NAME_CHARS: usize = 80;
/// Prefix of the id of an entry that is a lesson's work (then the slug).
pub const LESSON_PREFIX: &str = "lesson:";

/// A small picture of a design: where its components and data centers are,
/// scaled into [`THUMB_W`] × [`THUMB_H`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Thumb {
    /// Data centers: left, top, width, height [thumbnail units].
    #[serde(default)]
    pub boxes: Vec<[f32; 4]>,
    /// Components: centre x, centre y [thumbnail units], kind.
    #[serde(default)]
    pub nodes: Vec<(f32, f32, Kind)>,
    /// Connections between drawn components, as indices into `nodes`.
    #[serde(default)]
    pub edges: Vec<[u16; 2]>,
}

impl Thumb {
    /// The picture of `doc`: the whole design fitted with a margin, aspect
    /// kept.
    pub fn of(doc: &DesignDoc) -> Self {
        let nodes = &doc.nodes[..doc.nodes.len().min(THUMB_NODES)];
        let xs = nodes
            .iter()
            .flat_map(|n| [n.x - 60.0, n.x + 60.0])
            .chain(doc.regions.iter().flat_map(|r| [r.x, r.x + r.w]));
        let ys = nodes
            .iter()
            .flat_map(|n| [n.y - 30.0, n.y + 30.0])
            .chain(doc.regions.iter().flat_map(|r| [r.y, r.y + r.h]));
        let span = |v: Vec<f64>| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        let ((x0, x1), (y0, y1)) = (span(xs.collect()), span(ys.collect()));
        if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
            return Self::default();
        }
        let margin = 4.0;
        let scale = ((THUMB_W - 2.0 * margin) / (x1 - x0).max(1.0))
            .min((THUMB_H - 2.0 * margin) / (y1 - y0).max(1.0));
        // Centred in the picture.
        let ox = (THUMB_W - (x1 - x0) * scale) / 2.0;
        let oy = (THUMB_H - (y1 - y0) * scale) / 2.0;
        let px = |x: f64| ((x - x0) * scale + ox) as f32;
        let py = |y: f64| ((y - y0) * scale + oy) as f32;
        let index = |id: &str| nodes.iter().position(|n| n.id == id);
        Self {
            boxes: doc
                .regions
                .iter()
                .map(|r| [px(r.x), py(r.y), (r.w * scale) as f32, (r.h * scale) as f32])
                .collect(),
            nodes: nodes.iter().map(|n| (px(n.x), py(n.y), n.kind)).collect(),
            edges: doc
                .edges
                .iter()
                .filter_map(|e| Some([index(&e.from)? as u16, index(&e.to)? as u16]))
                .take(THUMB_EDGES)
                .collect(),
        }
    }
}

/// One design in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its id: `d…` for a design of the learner's own, [`LESSON_PREFIX`] and
    /// the slug for a lesson's work.
    pub id: String,
    /// The name the learner sees (a lesson's work shows the lesson's title
    /// instead).
    pub name: String,
    /// When it was last saved [ms since the Unix epoch].
    pub updated_ms: f64,
    /// How many components it has.
    #[serde(default)]
    pub nodes: usize,
    /// Its picture.
    #[serde(default)]
    pub thumb: Thumb,
}

impl Entry {
    /// The lesson this entry is the work of, if it is one.
    pub fn lesson(&self) -> Option<&str> {
        self.id.strip_prefix(LESSON_PREFIX)
    }
}

/// The list of designs and which one is open in the sandbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Library {
    /// Every design kept, in the order they were added.
    #[serde(default)]
    pub entries: Vec<Entry>,
    /// The design open in the sandbox (`None`: a new design not saved yet,
    /// because nothing has been put on it).
    #[serde(default)]
    pub current: Option<String>,
}

impl Library {
    /// The entry `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry open in the sandbox.
    pub fn current_entry(&self) -> Option<&Entry> {
        self.get(self.current.as_deref()?)
    }

    /// Designs of the learner's own (not lessons' work), newest first.
    pub fn designs(&self) -> Vec<&Entry> {
        self.newest_first(false)
    }

    /// Lessons' work, newest first.
    pub fn lessons(&self) -> Vec<&Entry> {
        self.newest_first(true)
    }

    fn newest_first(&self, lessons: bool) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.lesson().is_some() == lessons)
            .collect();
        v.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
        v
    }

    /// `base`, or `base (2)`, `base (3)`, … — the first no design has.
    pub fn unique_name(&self, base: &str) -> String {
        let base = clean_name(base).unwrap_or_else(|| "Design".into());
        let taken = |n: &str| self.entries.iter().any(|e| e.name == n);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base} ({i})"))
            .find(|n| !taken(n))
            .expect("a free name")
    }

    /// Adds `doc` as a new design named after `name` (made unique), saved at
    /// `now_ms`, and makes it the one open. Returns its id.
    pub fn add(&mut self, name: &str, now_ms: f64, doc: &DesignDoc) -> String {
        let stamp = now_ms.max(0.0) as u64;
        let id = (0..)
            .map(|n| {
                if n == 0 {
                    format!("d{stamp:x}")
                } else {
                    format!("d{stamp:x}-{n}")
                }
            })
            .find(|id| self.get(id).is_none())
            .expect("a free id");
        self.insert(&id, name, now_ms, doc);
        self.current = Some(id.clone());
        id
    }

    /// Lists `doc` under `id` (not listed yet) as `name` (made unique),
    /// saved at `now_ms`.
    pub fn insert(&mut self, id: &str, name: &str, now_ms: f64, doc: &DesignDoc) {
        let name = self.unique_name(name);
        self.entries.push(Entry {
            id: id.to_string(),
            name,
            updated_ms: now_ms,
            nodes: doc.nodes.len(),
            thumb: Thumb::of(doc),
        });
    }

    /// Records that entry `id` now holds `doc`, saved at `now_ms`; a lesson's
    /// work not listed yet is added (named by its slug; the app shows the
    /// lesson's title). Returns whether anything changed.
    pub fn touch(&mut self, id: &str, now_ms: f64, doc: &DesignDoc) -> bool {
        let thumb = Thumb::of(doc);
        match self.entries.iter_mut().find(|e| e.id == id) {
            Some(e) => {
                let changed = e.thumb != thumb || e.nodes != doc.nodes.len();
                e.updated_ms = now_ms;
                e.nodes = doc.nodes.len();
                e.thumb = thumb;
                changed
            }
            None => {
                self.insert(id, id.trim_start_matches(LESSON_PREFIX), now_ms, doc);
                true
            }
        }
    }

    /// Renames design `id`; a blank name is refused (returns `false`).
    pub fn rename(&mut self, id: &str, name: &str) -> bool {
        let Some(name) = clean_name(name) else {
            return false;
        };
        match self.entries.iter_mut().find(|e| e.id == id) {
            Some(e) if e.lesson().is_none() => {
                e.name = name;
                true
            }
            _ => false,
        }
    }

    /// Takes design `id` off the list (the caller removes its stored
    /// document). If it was open, no design is open afterwards.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.id != id);
        if self.current.as_deref() == Some(id) {
            self.current = None;
        }
        self.entries.len() != before
    }
}

/// `name` trimmed, control characters dropped, at most
/// [`MAX_NAME_CHARS`] characters; `None` when nothing is left.
pub fn clean_name(name: &str) -> Option<String> {
    let cleaned: String = name.chars().filter(|c| !c.is_control()).collect();
    let kept: String = cleaned.trim().chars().take(MAX_NAME_CHARS).collect();
    let trimmed = kept.trim_end();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// The name of a design made from a file called `file_name`: the file name
/// without its `.json`.
pub fn name_from_file(file_name: &str) -> String {
    let stem = file_name
        .strip_suffix(".json")
        .or_else(|| file_name.strip_suffix(".JSON"))
        .unwrap_or(file_name);
    clean_name(stem).unwrap_or_else(|| "Design".into())
}

/// A file name for exporting a design called `name`: letters, digits and
/// dashes, `.json` at the end.
pub fn file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let stem = out.trim_end_matches('-');
    if stem.is_empty() {
        "scale-lab-design.json".into()
    } else {
        format!("{stem}.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::design::{EdgeDoc, NodeDoc, RegionDoc};

    fn doc(n: usize) -> DesignDoc {
        let mut d = DesignDoc::default();
        for i in 0..n {
            d.nodes.push(NodeDoc {
                id: format!("web-{i}"),
                kind: Kind::WebServer,
                x: 100.0 * i as f64,
                y: 50.0 * (i % 3) as f64,
                params: Default::default(),
            });
        }
        for i in 1..n {
            d.edges
                .push(EdgeDoc::new(format!("web-{}", i - 1), format!("web-{i}")));
        }
        d
    }

    #[test]
    fn adding_never_replaces_a_design() {
        let mut lib = Library::default();
        let a = lib.add("My design", 1_000.0, &doc(2));
        let b = lib.add("My design", 1_000.0, &doc(3));
        let c = lib.add("Chapter 1", 2_000.0, &doc(1));
        assert_eq!(lib.entries.len(), 3);
        assert!(
            a != b && b != c && a != c,
            "ids are unique even at the same ms"
        );
        assert_eq!(
            lib.current.as_deref(),
            Some(c.as_str()),
            "the added one is open"
        );
        let names: Vec<&str> = lib.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["My design", "My design (2)", "Chapter 1"]);
        assert_eq!(lib.get(&b).unwrap().nodes, 3);
    }

    #[test]
    fn the_list_is_newest_first_and_lessons_apart() {
        let mut lib = Library::default();
        let old = lib.add("old", 1.0, &doc(1));
        let new = lib.add("new", 5.0, &doc(1));
        lib.touch("lesson:03-load-balancer", 3.0, &doc(2));
        let order: Vec<&str> = lib.designs().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, [new.as_str(), old.as_str()]);
        lib.touch(&old, 9.0, &doc(4));
        let order: Vec<&str> = lib.designs().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, [old.as_str(), new.as_str()], "saving moves it up");
        assert_eq!(lib.get(&old).unwrap().nodes, 4);
        let lessons = lib.lessons();
        assert_eq!(lessons.len(), 1);
        assert_eq!(lessons[0].lesson(), Some("03-load-balancer"));
    }

    #[test]
    fn names_are_cleaned_and_blank_ones_refused() {
        let mut lib = Library::default();
        let id = lib.add("  ", 1.0, &doc(0));
        assert_eq!(lib.get(&id).unwrap().name, "Design");
        assert!(!lib.rename(&id, " \n\t "), "a blank name is refused");
        assert!(lib.rename(&id, &format!("  {}  ", "x".repeat(200))));
        assert_eq!(lib.get(&id).unwrap().name.chars().count(), MAX_NAME_CHARS);
        assert!(lib.rename(&id, "a\u{7}b"));
        assert_eq!(lib.get(&id).unwrap().name, "ab");
        lib.touch("lesson:01-one-server-dns", 2.0, &doc(1));
        assert!(
            !lib.rename("lesson:01-one-server-dns", "mine"),
            "lessons keep their title"
        );
        assert!(!lib.rename("nope", "x"));
    }

    #[test]
    fn removing_the_open_design_leaves_none_open() {
        let mut lib = Library::default();
        let a = lib.add("a", 1.0, &doc(1));
        let b = lib.add("b", 2.0, &doc(1));
        assert!(lib.remove(&a));
        assert_eq!(
            lib.current.as_deref(),
            Some(b.as_str()),
            "another open stays open"
        );
        assert!(lib.remove(&b));
        assert_eq!(lib.current, None);
        assert!(!lib.remove(&b), "removing twice does nothing");
    }

    #[test]
    fn a_thumbnail_fits_the_whole_design() {
        let mut d = doc(5);
        d.regions.push(RegionDoc {
            id: "dc-1".into(),
            region: "us-east".into(),
            x: -300.0,
            y: -200.0,
            w: 600.0,
            h: 320.0,
        });
        let t = Thumb::of(&d);
        assert_eq!(t.nodes.len(), 5);
        assert_eq!(t.edges.len(), 4);
        assert_eq!(t.boxes.len(), 1);
        for &(x, y, _) in &t.nodes {
            assert!((0.0..=THUMB_W as f32).contains(&x) && (0.0..=THUMB_H as f32).contains(&y));
        }
        let [bx, by, bw, bh] = t.boxes[0];
        assert!(bx >= 0.0 && by >= 0.0 && bx + bw <= THUMB_W as f32 + 0.01);
        assert!(by + bh <= THUMB_H as f32 + 0.01);
        // Bigger designs draw their first components only.
        let big = Thumb::of(&doc(THUMB_NODES * 3));
        assert_eq!(big.nodes.len(), THUMB_NODES);
        assert!(big.edges.iter().all(|e| (e[0] as usize) < THUMB_NODES));
        assert_eq!(Thumb::of(&DesignDoc::default()), Thumb::default());
    }

    #[test]
    fn file_names_follow_design_names() {
        assert_eq!(
            file_name("Chapter 1: the picture!"),
            "chapter-1-the-picture.json"
        );
        assert_eq!(file_name("설계 2"), "설계-2.json");
        assert_eq!(file_name("***"), "scale-lab-design.json");
        assert_eq!(name_from_file("my design.json"), "my design");
        assert_eq!(name_from_file(".json"), "Design");
    }

    #[test]
    fn the_list_survives_its_own_format() {
        let mut lib = Library::default();
        lib.add("a", 1.5, &doc(3));
        lib.touch("lesson:02-db", 2.0, &doc(1));
        let text = serde_json::to_string(&lib).unwrap();
        let back: Library = serde_json::from_str(&text).unwrap();
        assert_eq!(back, lib);
    }
}
