//! Memory of a long run: heap in use while 100,000 requests a second run
//! for an hour of simulated time, and heap per request in flight.
//!
//! A counting allocator wraps the system's and keeps the bytes in use and
//! their peak. The design: users sending 100,000 reads a second through a
//! load balancer to eight web servers of 32 vCPUs (1 ms of work each, so
//! about 100 of 256 workers busy and the queues short). Every simulated
//! minute it prints the simulated time, the requests in flight and the heap
//! in use; at the end the peak, the growth of the heap in use from the end
//! of warm-up (5 min) to the end, and the heap per request in flight (the
//! slope between two runs whose users' network latency differs tenfold, so their
//! requests in flight differ tenfold and nothing else does).
//!
//! `cargo run --release -p scalelab-sim --example memory [minutes]`
//! (default 60; the figures are in docs/performance.md).

use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded to the system allocator with the same layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn design(latency_ms: f64) -> DesignDoc {
    let mut nodes = vec![
        format!(
            r#"{{"id":"users-1","kind":"users","params":{{"rate_rps":100000,"population":1000000,"write_pct":0,"static_pct":0,"timeout_ms":5000,"network_ms":{latency_ms}}}}}"#
        ),
        r#"{"id":"lb-1","kind":"load_balancer"}"#.to_string(),
    ];
    let mut edges = vec![r#"{"from":"users-1","to":"lb-1"}"#.to_string()];
    for i in 1..=8 {
        nodes.push(format!(
            r#"{{"id":"web-{i}","kind":"web_server","params":{{"size":"2xlarge","service_ms":1}}}}"#
        ));
        edges.push(format!(r#"{{"from":"lb-1","to":"web-{i}"}}"#));
    }
    let text = format!(
        r#"{{"version":1,"seed":1,"nodes":[{}],"edges":[{}]}}"#,
        nodes.join(","),
        edges.join(",")
    );
    DesignDoc::from_json(&text).expect("the memory design is valid")
}

/// Runs `minutes` of simulated time; returns (heap in use after warm-up,
/// at the end, requests in flight at the end) and prints each minute.
fn run(latency_ms: f64, minutes: u64, print: bool) -> (usize, usize, u64) {
    let mut sim = Simulation::from_doc(&design(latency_ms)).expect("valid");
    sim.track_recent(true);
    let mut after_warmup = 0;
    for m in 1..=minutes {
        sim.run_until(m * 60 * SECOND);
        let s = sim.snapshot();
        let heap = IN_USE.load(Relaxed);
        if m == 5.min(minutes) {
            after_warmup = heap;
        }
        if print {
            println!(
                "{m:>4} min  in flight {:>7}  heap in use {:>8.1} MiB",
                s.in_flight,
                heap as f64 / 1048576.0
            );
        }
    }
    let in_flight = sim.snapshot().in_flight;
    (after_warmup, IN_USE.load(Relaxed), in_flight)
}

fn main() {
    let minutes: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    println!("100,000 requests a second for {minutes} simulated minutes:");
    let (warm, end, _) = run(5.0, minutes, true);
    let peak = PEAK.load(Relaxed);
    println!(
        "peak heap {:.1} MiB; heap in use after warm-up {:.1} MiB, at the end {:.1} MiB: {:+.2} %",
        peak as f64 / 1048576.0,
        warm as f64 / 1048576.0,
        end as f64 / 1048576.0,
        (end as f64 / warm as f64 - 1.0) * 100.0
    );
    // Heap per request in flight: two short runs, 5 ms and 50 ms of network.
    let (_, short, short_flight) = run(5.0, 2, false);
    let (_, long, long_flight) = run(50.0, 2, false);
    let per = (long as f64 - short as f64) / (long_flight as f64 - short_flight as f64);
    println!(
        "in flight {short_flight} → {long_flight}; heap {:.1} → {:.1} MiB; {per:.0} bytes per request in flight",
        short as f64 / 1048576.0,
        long as f64 / 1048576.0
    );
}
