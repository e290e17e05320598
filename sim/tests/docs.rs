//! docs/design-format.md stays true: every kind and parameter of the
//! catalog is documented, and every JSON example in it is accepted.

use scalesim::catalog::CATALOG;
use scalesim::catalog::Kind;
use scalesim::design::{DesignDoc, EdgeDoc, FaultDoc, NodeDoc, RegionDoc};

fn doc_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/design-format.md"
    ))
    .expect("docs/design-format.md exists")
}

fn json_blocks(text: &str) -> Vec<String> {
    text.split("```json")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn every_kind_and_parameter_is_documented() {
    let text = doc_text();
    for spec in CATALOG {
        assert!(
            text.contains(&format!("### `{}`", spec.kind.key())),
            "{} undocumented",
            spec.kind.key()
        );
        for p in spec.params {
            assert!(
                text.contains(&format!("| `{}` |", p.key)),
                "{}.{} undocumented",
                spec.kind.key(),
                p.key
            );
        }
    }
}

#[test]
fn every_connection_parameter_is_documented() {
    let text = doc_text();
    for p in scalesim::catalog::CALL_POLICY
        .iter()
        .chain(scalesim::catalog::DNS_TARGET_PARAMS)
    {
        assert!(
            text.contains(&format!("| `{}` |", p.key)),
            "connection parameter {} undocumented",
            p.key
        );
    }
}

#[test]
fn every_example_is_accepted() {
    let blocks = json_blocks(&doc_text());
    assert!(blocks.len() >= 8);
    for b in blocks {
        let trimmed = b.trim();
        if trimmed.starts_with("{ \"id\"") && !trimmed.contains("\"kind\"") {
            let region: RegionDoc =
                serde_json::from_str(trimmed).unwrap_or_else(|e| panic!("{e}: {b}"));
            let d = DesignDoc {
                regions: vec![region],
                ..DesignDoc::default()
            };
            let problems = d.validate().err().map(|p| p.0).unwrap_or_default();
            assert!(
                problems
                    .iter()
                    .all(|p| matches!(p.kind, scalesim::ProblemKind::NoEntry)),
                "{b}: {problems:?}"
            );
        } else if trimmed.starts_with("{ \"id\"") {
            let node: NodeDoc =
                serde_json::from_str(trimmed).unwrap_or_else(|e| panic!("{e}: {b}"));
            let mut d = DesignDoc::default();
            d.nodes.push(node);
            let problems = d.validate().err().map(|p| p.0).unwrap_or_default();
            assert!(
                problems.iter().all(|p| !matches!(
                    p.kind,
                    scalesim::ProblemKind::OutOfRange { .. }
                        | scalesim::ProblemKind::UnknownParam { .. }
                        | scalesim::ProblemKind::BadValue { .. }
                )),
                "{b}: {problems:?}"
            );
        } else if trimmed.starts_with("{ \"from\"") {
            let edge: EdgeDoc =
                serde_json::from_str(trimmed).unwrap_or_else(|e| panic!("{e}: {b}"));
            let mut d = DesignDoc::default();
            for (id, kind) in [
                ("users-1", Kind::Users),
                (&edge.from, Kind::WebServer),
                (&edge.to, Kind::Database),
            ] {
                d.nodes.push(NodeDoc {
                    id: id.to_string(),
                    kind,
                    x: 0.0,
                    y: 0.0,
                    params: Default::default(),
                });
            }
            d.edges.push(EdgeDoc::new("users-1", &edge.from));
            d.edges.push(edge);
            d.validate().unwrap_or_else(|p| panic!("{b}: {p}"));
        } else if trimmed.starts_with('[') {
            let faults: Vec<FaultDoc> =
                serde_json::from_str(trimmed).unwrap_or_else(|e| panic!("{e}: {b}"));
            // One example of every action in the table.
            let actions = doc_text()
                .split("## Faults")
                .nth(1)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("| `"))
                .count();
            assert_eq!(faults.len(), actions);
        } else {
            DesignDoc::from_json(trimmed).unwrap_or_else(|e| panic!("{e}: {b}"));
        }
    }
}
