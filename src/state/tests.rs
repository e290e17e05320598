use super::*;

fn editor_with(kinds: &[Kind]) -> Editor {
    let mut e = Editor::new(Lang::En);
    for (i, k) in kinds.iter().enumerate() {
        e.apply(Action::AddNode {
            kind: *k,
            x: 100.0 * i as f64,
            y: 50.0,
        });
    }
    e
}

#[test]
fn adding_nodes_gives_fresh_ids_selects_and_bumps_version() {
    let e = editor_with(&[Kind::WebServer, Kind::WebServer, Kind::Users]);
    let ids: Vec<_> = e.doc.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["web-1", "web-2", "users-1"]);
    assert_eq!(e.selected, Some(Selection::Node("users-1".into())));
    assert_eq!(e.version, 3);
}

#[test]
fn connecting_follows_the_catalog_and_explains_refusals() {
    let mut e = editor_with(&[Kind::Users, Kind::WebServer, Kind::Database]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    assert_eq!(e.doc.edges.len(), 1);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "db-1".into(),
    });
    assert_eq!(e.doc.edges.len(), 1);
    let Some(Notice::Problem(p)) = &e.notice else {
        panic!("a refused connection explains itself: {:?}", e.notice)
    };
    assert_eq!(
        p.to_string(),
        "users-1 → db-1: a Users cannot send requests to a Database"
    );
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    assert_eq!(e.notice, Some(Notice::Text(Msg::AlreadyConnected)));
    assert_eq!(e.doc.edges.len(), 1);
}

#[test]
fn every_edit_undoes_and_redoes_and_a_drag_is_one_step() {
    let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    for x in [103.0, 117.0, 160.0] {
        e.apply(Action::MoveNode {
            id: "web-1".into(),
            x,
            y: 50.0,
            gesture: 7,
        });
    }
    assert_eq!(e.doc.nodes[1].x, 160.0);
    e.apply(Action::DeleteSelected); // web-1 is not selected: nothing
    e.apply(Action::Select(Some(Selection::Node("web-1".into()))));
    e.apply(Action::DeleteSelected);
    assert!(e.doc.edges.is_empty());
    e.apply(Action::Undo);
    assert_eq!(e.doc.edges.len(), 1, "the edge comes back with the node");
    e.apply(Action::Undo);
    assert_eq!(e.doc.nodes[1].x, 100.0, "the whole drag is undone at once");
    e.apply(Action::Undo);
    assert!(e.doc.edges.is_empty());
    e.apply(Action::Redo);
    e.apply(Action::Redo);
    assert_eq!((e.doc.edges.len(), e.doc.nodes[1].x), (1, 160.0));
    e.apply(Action::Undo);
    e.apply(Action::Undo);
    e.apply(Action::Undo);
    e.apply(Action::Undo);
    assert_eq!(e.doc.nodes.len(), 0, "back to the empty design");
    assert_eq!(e.selected, None, "no selection of a node that is gone");
}

#[test]
fn several_nodes_are_selected_toggled_and_deleted_together() {
    let mut e = editor_with(&[Kind::Users, Kind::WebServer, Kind::Database]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    e.apply(Action::Select(Some(Selection::Nodes(vec![
        "web-1".into(),
        "db-1".into(),
    ]))));
    assert_eq!(e.selected_nodes(), vec![1, 2]);
    assert_eq!(e.selected_node(), None, "the inspector shows one node only");
    e.apply(Action::ToggleSelect("db-1".into()));
    assert_eq!(e.selected, Some(Selection::Node("web-1".into())));
    e.apply(Action::ToggleSelect("users-1".into()));
    e.apply(Action::DeleteSelected);
    assert_eq!(e.doc.nodes.len(), 1);
    assert!(e.doc.edges.is_empty());
    e.apply(Action::Undo);
    assert_eq!(
        (e.doc.nodes.len(), e.doc.edges.len()),
        (3, 1),
        "one step back"
    );
}

#[test]
fn nodes_snap_to_the_grid_and_duplicates_get_fresh_ids() {
    let mut e = Editor::new(Lang::En);
    e.apply(Action::AddNode {
        kind: Kind::WebServer,
        x: 147.0,
        y: 203.4,
    });
    assert_eq!((e.doc.nodes[0].x, e.doc.nodes[0].y), (150.0, 200.0));
    e.apply(Action::SetParam {
        id: "web-1".into(),
        key: "size".into(),
        value: ParamValue::Text("large".into()),
    });
    e.apply(Action::DuplicateSelected);
    assert_eq!(e.doc.nodes[1].id, "web-2");
    assert_eq!(e.doc.nodes[1].params, e.doc.nodes[0].params);
    assert_eq!(e.selected, Some(Selection::Node("web-2".into())));
}

#[test]
fn a_data_center_carries_its_nodes_and_one_drag_is_one_undo_step() {
    let mut e = editor_with(&[Kind::WebServer, Kind::Database]);
    e.apply(Action::AddRegion { x: 100.0, y: 50.0 });
    let dc = e.doc.regions[0].clone();
    assert_eq!(dc.id, "dc-1");
    assert!(dc.contains(0.0, 50.0) && dc.contains(100.0, 50.0), "{dc:?}");
    let before = e.doc.clone();
    for step in 1..=3 {
        e.apply(Action::MoveRegion {
            id: "dc-1".into(),
            x: dc.x + 100.0 * f64::from(step),
            y: dc.y,
            gesture: 77,
        });
    }
    assert_eq!(e.doc.nodes[0].x, 300.0, "web-1 moved with its data center");
    assert_eq!(e.doc.regions[0].x, dc.x + 300.0);
    e.apply(Action::ResizeRegion {
        id: "dc-1".into(),
        w: 20.0,
        h: 500.0,
        gesture: 78,
    });
    assert_eq!(e.doc.regions[0].w, MIN_REGION_W);
    e.apply(Action::SetRegionPlace {
        id: "dc-1".into(),
        region: "eu-west".into(),
    });
    assert_eq!(
        e.selected_region(),
        Some(0),
        "still selected after its edits"
    );
    e.apply(Action::DeleteSelected);
    assert!(e.doc.regions.is_empty());
    assert_eq!(
        e.doc.nodes.len(),
        2,
        "deleting a data center keeps its nodes"
    );
    for _ in 0..4 {
        e.apply(Action::Undo);
    }
    assert_eq!(e.doc, before);
}

#[test]
fn a_selected_connection_is_deleted_alone_and_comes_back_on_undo() {
    let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    let before = e.doc.clone();
    e.apply(Action::Select(Some(Selection::Edge {
        from: "users-1".into(),
        to: "web-1".into(),
    })));
    assert_eq!(e.selected_edge(), Some(0));
    assert!(e.selected_nodes().is_empty());
    e.apply(Action::DeleteSelected);
    assert!(e.doc.edges.is_empty());
    assert_eq!(e.doc.nodes.len(), 2, "the nodes stay");
    e.apply(Action::Undo);
    assert_eq!(e.doc, before);
}

#[test]
fn a_connection_keeps_its_policy_selected_and_undo_takes_it_back() {
    let mut e = editor_with(&[Kind::WebServer, Kind::Database]);
    e.apply(Action::Connect {
        from: "web-1".into(),
        to: "db-1".into(),
    });
    e.apply(Action::Select(Some(Selection::Edge {
        from: "web-1".into(),
        to: "db-1".into(),
    })));
    let before = e.doc.clone();
    e.apply(Action::SetEdgeParam {
        from: "web-1".into(),
        to: "db-1".into(),
        key: "retries".into(),
        value: ParamValue::Number(3.0),
    });
    assert_eq!(
        e.doc.edges[0].params.get("retries"),
        Some(&ParamValue::Number(3.0))
    );
    assert_eq!(e.selected_edge(), Some(0), "still selected");
    e.apply(Action::Undo);
    assert_eq!(e.doc, before);
    e.apply(Action::Redo);
    assert_eq!(e.doc.edges[0].params.len(), 1);
}

#[test]
fn a_preset_sets_its_parameters_in_one_undo_step() {
    let mut e = editor_with(&[Kind::Database]);
    let before = e.doc.clone();
    e.apply(Action::SetParams {
        id: "db-1".into(),
        values: vec![
            ("service_ms".into(), ParamValue::Number(1.0)),
            ("write_ms".into(), ParamValue::Number(2.0)),
        ],
    });
    assert_eq!(
        e.doc.nodes[0].params.get("write_ms"),
        Some(&ParamValue::Number(2.0))
    );
    e.apply(Action::Undo);
    assert_eq!(e.doc, before);
}

#[test]
fn a_restored_design_is_not_an_undo_step_but_a_loaded_one_is() {
    let mut e = editor_with(&[Kind::Users]);
    let saved = e.doc.clone();
    let mut fresh = Editor::new(Lang::En);
    fresh.apply(Action::Restore(saved.clone()));
    fresh.apply(Action::Undo);
    assert_eq!(fresh.doc, saved);
    e.apply(Action::Load(DesignDoc::default()));
    e.apply(Action::Undo);
    assert_eq!(e.doc, saved, "an import can be undone");
}

#[test]
fn deleting_a_node_removes_its_edges_and_selection_only_changes_no_version() {
    let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "web-1".into(),
    });
    let v = e.version;
    e.apply(Action::Select(Some(Selection::Node("web-1".into()))));
    assert_eq!(e.version, v, "selecting is not an edit");
    e.apply(Action::DeleteSelected);
    assert!(e.doc.edges.is_empty());
    assert_eq!(e.doc.nodes.len(), 1);
    assert_eq!(e.selected, None);
}

#[test]
fn a_data_center_dragged_over_components_leaves_them_where_they_are() {
    let mut e = editor_with(&[Kind::WebServer, Kind::Database]);
    // web-1 at (0, 50) is inside; db-1 at (100, 50) is moved far right.
    e.apply(Action::MoveNode {
        id: "db-1".into(),
        x: 1_000.0,
        y: 50.0,
        gesture: 1,
    });
    e.apply(Action::AddRegion { x: 0.0, y: 50.0 });
    let dc = e.doc.regions[0].clone();
    assert!(dc.contains(0.0, 50.0) && !dc.contains(1_000.0, 50.0));
    // Drag it right in steps, over db-1.
    for step in 1..=12 {
        e.apply(Action::MoveRegion {
            id: "dc-1".into(),
            x: dc.x + 100.0 * f64::from(step),
            y: dc.y,
            gesture: 9,
        });
    }
    assert_eq!(
        e.doc.nodes[0].x, 1_200.0,
        "web-1, inside from the start, came along"
    );
    assert_eq!(e.doc.nodes[1].x, 1_000.0, "db-1, passed over, did not move");
    // A new drag takes what is inside now: db-1 (under the box) and web-1.
    let r = e.doc.regions[0].clone();
    assert!(r.contains(1_000.0, 50.0));
    e.apply(Action::MoveRegion {
        id: "dc-1".into(),
        x: r.x,
        y: r.y + 100.0,
        gesture: 10,
    });
    assert_eq!((e.doc.nodes[0].y, e.doc.nodes[1].y), (150.0, 150.0));
}

#[test]
fn duplicate_copies_the_whole_selection_with_the_connections_inside_it() {
    let mut e = editor_with(&[Kind::Users, Kind::LoadBalancer, Kind::WebServer]);
    e.apply(Action::Connect {
        from: "users-1".into(),
        to: "lb-1".into(),
    });
    e.apply(Action::Connect {
        from: "lb-1".into(),
        to: "web-1".into(),
    });
    e.apply(Action::SetEdgeParam {
        from: "lb-1".into(),
        to: "web-1".into(),
        key: "weight".into(),
        value: ParamValue::Number(3.0),
    });
    e.apply(Action::Select(Some(Selection::Nodes(vec![
        "lb-1".into(),
        "web-1".into(),
    ]))));
    let before = e.doc.clone();
    e.apply(Action::DuplicateSelected);
    let ids: Vec<&str> = e.doc.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["users-1", "lb-1", "web-1", "lb-2", "web-2"]);
    let copied = e
        .doc
        .edges
        .iter()
        .find(|x| x.from == "lb-2" && x.to == "web-2")
        .expect("the connection inside the selection is copied");
    assert_eq!(copied.params.get("weight"), Some(&ParamValue::Number(3.0)));
    assert!(
        !e.doc.edges.iter().any(|x| x.to == "lb-2"),
        "connections from outside the selection are not"
    );
    assert_eq!(
        e.selected,
        Some(Selection::Nodes(vec!["lb-2".into(), "web-2".into()]))
    );
    e.apply(Action::Undo);
    assert_eq!(e.doc, before, "one undo step");
}

#[test]
fn duplicating_a_data_center_makes_a_second_one_with_its_contents() {
    let mut e = editor_with(&[Kind::Dns, Kind::LoadBalancer, Kind::WebServer]);
    // dns-1 at (-100, 50) outside; lb-1 and web-1 inside the box.
    e.apply(Action::MoveNode {
        id: "dns-1".into(),
        x: -600.0,
        y: 50.0,
        gesture: 1,
    });
    e.apply(Action::AddRegion { x: 60.0, y: 50.0 });
    for (from, to) in [("dns-1", "lb-1"), ("lb-1", "web-1")] {
        e.apply(Action::Connect {
            from: from.into(),
            to: to.into(),
        });
    }
    let dc = e.doc.regions[0].clone();
    e.apply(Action::DuplicateSelected);
    assert_eq!(e.doc.regions.len(), 2);
    let copy = e.doc.regions[1].clone();
    assert_eq!(e.selected, Some(Selection::Region(copy.id.clone())));
    assert_eq!(copy.id, "dc-2");
    assert_ne!(copy.region, dc.region, "it serves from another region");
    assert!(
        copy.x >= dc.x + dc.w,
        "placed beside the first, not over it"
    );
    let inside: Vec<&str> = e
        .doc
        .nodes
        .iter()
        .filter(|n| copy.contains(n.x, n.y))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(inside, ["lb-2", "web-2"]);
    let has = |a: &str, b: &str| e.doc.edges.iter().any(|x| x.from == a && x.to == b);
    assert!(has("lb-2", "web-2"), "its inner connections");
    assert!(has("dns-1", "lb-2"), "and its callers outside reach it too");
}
