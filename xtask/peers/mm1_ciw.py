"""M/M/1 in Ciw, for `cargo xtask bench`: the same system as
scenarios/bench/mm1.json (Poisson arrivals at LAMBDA per second, one server,
exponential service with mean 1/MU seconds, unbounded FIFO queue), run for the
same simulated time. Prints one JSON line: requests completed, wall seconds,
and the mean response time (theory: 1 / (MU - LAMBDA))."""

import json
import sys
import time

import ciw


def main(lam: float, mu: float, until: float, seed: int) -> None:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=lam)],
        service_distributions=[ciw.dists.Exponential(rate=mu)],
        number_of_servers=[1],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    start = time.perf_counter()
    sim.simulate_until_max_time(until)
    wall = time.perf_counter() - start
    records = sim.get_all_records()
    total = sum(r.waiting_time + r.service_time for r in records)
    print(json.dumps({"requests": len(records), "wall_s": wall, "mean_ms": total / len(records) * 1e3}))


if __name__ == "__main__":
    lam, mu, until, seed = sys.argv[1:5]
    main(float(lam), float(mu), float(until), int(seed))
