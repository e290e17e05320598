//! Tests of reading and validating design documents.

use super::*;

fn node(id: &str, kind: Kind) -> NodeDoc {
    NodeDoc {
        id: id.into(),
        kind,
        x: 0.0,
        y: 0.0,
        params: BTreeMap::new(),
    }
}

fn edge(from: &str, to: &str) -> EdgeDoc {
    EdgeDoc::new(from, to)
}

fn doc(nodes: Vec<NodeDoc>, edges: Vec<EdgeDoc>) -> DesignDoc {
    DesignDoc {
        nodes,
        edges,
        ..DesignDoc::default()
    }
}

fn messages(d: &DesignDoc) -> Vec<String> {
    d.validate()
        .err()
        .map(|p| p.0.iter().map(|p| p.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn a_wired_design_validates_with_defaults_filled_in() {
    let d = doc(
        vec![
            node("users-1", Kind::Users),
            node("web-1", Kind::WebServer),
            node("db-1", Kind::Database),
        ],
        vec![edge("users-1", "web-1"), edge("web-1", "db-1")],
    );
    let v = d.validate().expect("valid");
    let web = v.nodes[1].params.web_server().expect("a web server");
    assert_eq!(web.size.name, "small");
    assert_eq!(web.queue_capacity, 100);
    assert_eq!(web.service_dist, "exponential");
    assert_eq!(v.out, vec![vec![1], vec![2], vec![]]);
    assert!(v.warnings.is_empty());
}

#[test]
fn bad_parameters_name_the_node_field_and_range() {
    let mut web = node("web-2", Kind::WebServer);
    web.params
        .insert("queue_capacity".into(), ParamValue::Number(-1.0));
    web.params.insert("wrokers".into(), ParamValue::Number(3.0));
    web.params
        .insert("service_dist".into(), ParamValue::Text("gamma".into()));
    let d = doc(
        vec![node("users-1", Kind::Users), web],
        vec![edge("users-1", "web-2")],
    );
    let m = messages(&d);
    assert!(
        m.contains(&"web-2: queue_capacity must be 0..=100000, got -1".to_string()),
        "{m:?}"
    );
    assert!(
        m.contains(&"web-2: unknown parameter 'wrokers'".to_string()),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|s| s.starts_with("web-2: service_dist must be one of: exponential")),
        "{m:?}"
    );
}

#[test]
fn a_queue_no_write_feeds_is_a_warning_at_the_web_server() {
    let doc = |job_pct: f64| {
        DesignDoc::from_json(&format!(
            r#"{{"version": 1, "nodes": [
              {{"id": "users-1", "kind": "users"}},
              {{"id": "web-1", "kind": "web_server", "params": {{"job_pct": {job_pct}}}}},
              {{"id": "queue-1", "kind": "queue"}},
              {{"id": "workers-1", "kind": "workers"}}],
              "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "queue-1"}},
                        {{"from": "queue-1", "to": "workers-1"}}]}}"#
        ))
        .unwrap()
    };
    let idle = doc(0.0).validate().unwrap();
    let w: Vec<String> = idle.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.starts_with("web-1 hands slow jobs to queue-1")),
        "{w:?}"
    );
    assert!(doc(30.0).validate().unwrap().warnings.is_empty());
}

#[test]
fn wiring_problems_are_reported_not_panicked() {
    let d = doc(
        vec![
            node("users-1", Kind::Users),
            node("db-1", Kind::Database),
            node("db-1", Kind::Database),
            node("web-1", Kind::WebServer),
        ],
        vec![
            edge("users-1", "db-1"),
            edge("web-1", "web-1"),
            edge("web-1", "ghost"),
        ],
    );
    let m = messages(&d);
    assert!(
        m.iter().any(|s| s == "db-1: two nodes have this id"),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|s| s == "users-1 → db-1: a Users cannot send requests to a Database"),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|s| s == "web-1 → web-1: a node cannot call itself")
    );
    assert!(
        m.iter()
            .any(|s| s == "web-1 → ghost: there is no node 'ghost'")
    );
    assert!(
        m.iter()
            .any(|s| s.starts_with("users-1 is not connected to anything"))
    );
}

#[test]
fn unreachable_node_is_a_warning_and_missing_users_an_error() {
    let d = doc(
        vec![
            node("users-1", Kind::Users),
            node("web-1", Kind::WebServer),
            node("db-9", Kind::Database),
        ],
        vec![edge("users-1", "web-1")],
    );
    let v = d.validate().expect("warnings do not block");
    assert_eq!(v.warnings.len(), 1);
    assert_eq!(
        v.warnings[0].to_string(),
        "db-9 is unreachable from Users: no request will get here"
    );
    let only_web = doc(vec![node("web-1", Kind::WebServer)], vec![]);
    assert_eq!(
        messages(&only_web)[0],
        "nothing sends requests: add a Users node and connect it"
    );
    let empty = doc(vec![], vec![]);
    assert_eq!(
        messages(&empty),
        ["nothing sends requests: add a Users node and connect it"]
    );
}

#[test]
fn cycles_are_found() {
    let out = vec![vec![1], vec![2], vec![0]];
    assert_eq!(find_cycle(&out), Some(vec![0, 1, 2, 0]));
    assert_eq!(find_cycle(&[vec![1], vec![]]), None);
}

#[test]
fn broken_and_newer_files_give_messages() {
    let err = DesignDoc::from_json("{\"version\": 1, \"nodes\": [").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("error: not a valid design file (line 1")
    );
    let err = DesignDoc::from_json("{\"version\": 7, \"gizmos\": []}").unwrap_err();
    assert!(err.to_string().contains("format version 7"), "{err}");
    let err = DesignDoc::from_json(
        "{\"version\": 1, \"nodes\": [{\"id\": \"a\", \"kind\": \"toaster\"}]}",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("unknown variant `toaster`"),
        "{err}"
    );
}

#[test]
fn json_round_trip_and_next_id() {
    let mut d = doc(
        vec![
            node("web-1", Kind::WebServer),
            node("web-3", Kind::WebServer),
        ],
        vec![],
    );
    d.nodes[0]
        .params
        .insert("workers".into(), ParamValue::Number(4.0));
    let back = DesignDoc::from_json(&d.to_json()).unwrap();
    assert_eq!(back, d);
    assert_eq!(d.next_id(Kind::WebServer), "web-2");
    assert_eq!(d.next_id(Kind::Database), "db-1");
}

#[test]
fn every_fault_action_reads_back_what_it_writes_and_bad_ones_say_why() {
    let s = |x: &str| x.to_string();
    let all = [
        FaultAction::Kill { target: s("web-1") },
        FaultAction::Restart { target: s("web-1") },
        FaultAction::Slow {
            target: s("db-1"),
            factor: 10.0,
            duration_s: Some(5.0),
        },
        FaultAction::Slow {
            target: s("db-1"),
            factor: 3.0,
            duration_s: None,
        },
        FaultAction::Cut {
            from: s("web-1"),
            to: s("db-1"),
            duration_s: None,
        },
        FaultAction::KillRegion { target: s("dc-us") },
        FaultAction::RestartRegion { target: s("dc-us") },
        FaultAction::Purge {
            target: s("cache-1"),
        },
        FaultAction::Promote { target: s("db-2") },
        FaultAction::Spike {
            target: s("users-1"),
            factor: 3.0,
            duration_s: 5.0,
        },
        FaultAction::Connect {
            from: s("router-1"),
            to: s("shard-3"),
        },
    ];
    for action in all {
        let f = FaultDoc { at_s: 12.5, action };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            serde_json::from_str::<FaultDoc>(&json).unwrap(),
            f,
            "{json}"
        );
    }
    // Fields an action does not take are ignored.
    let f: FaultDoc =
        serde_json::from_str(r#"{"at_s": 1, "action": "kill", "target": "a", "factor": 2}"#)
            .unwrap();
    assert_eq!(f.action, FaultAction::Kill { target: s("a") });
    let err = |json: &str| {
        serde_json::from_str::<FaultDoc>(json)
            .unwrap_err()
            .to_string()
    };
    let e = err(r#"{"at_s": 1, "action": "explode", "target": "a"}"#);
    assert!(
        e.contains("unknown variant `explode`, expected one of `kill`"),
        "{e}"
    );
    let e = err(r#"{"at_s": 1, "action": "spike", "target": "users-1", "factor": 2}"#);
    assert!(e.contains("missing field `duration_s`"), "{e}");
    let e = err(r#"{"action": "kill", "target": "a"}"#);
    assert!(e.contains("missing field `at_s`"), "{e}");
    let e = err(r#"{"at_s": 1, "action": "kill", "target": 7}"#);
    assert!(e.contains("invalid type"), "{e}");
}
