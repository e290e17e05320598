use scalesim::{DesignDoc, Simulation, time::SECOND};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let doc = DesignDoc::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    for t in 1..=60 {
        sim.run_until(t * SECOND);
        let s = sim.snapshot();
        let p = sim.series().last().unwrap();
        println!(
            "t={t} err={:?} rate={:.3} inflight={} nodes={:?}",
            s.errors,
            p.error_rate,
            s.in_flight,
            s.nodes
                .iter()
                .map(|n| (n.id.clone(), n.served, n.dropped, n.queue_len))
                .collect::<Vec<_>>()
        );
    }
}
