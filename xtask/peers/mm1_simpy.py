"""M/M/1 in SimPy, for `cargo xtask bench`: the same system as
scenarios/bench/mm1.json (Poisson arrivals at LAMBDA per second, one server,
exponential service with mean 1/MU seconds, unbounded FIFO queue), run for the
same simulated time. Prints one JSON line: requests completed, wall seconds,
and the mean response time (theory: 1 / (MU - LAMBDA))."""

import json
import random
import sys
import time

import simpy


def main(lam: float, mu: float, until: float, seed: int) -> None:
    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    done = 0
    total = 0.0

    def request(env):
        nonlocal done, total
        arrived = env.now
        with server.request() as turn:
            yield turn
            yield env.timeout(rng.expovariate(mu))
        done += 1
        total += env.now - arrived

    def users(env):
        while True:
            yield env.timeout(rng.expovariate(lam))
            env.process(request(env))

    env.process(users(env))
    start = time.perf_counter()
    env.run(until=until)
    wall = time.perf_counter() - start
    print(json.dumps({"requests": done, "wall_s": wall, "mean_ms": total / done * 1e3}))


if __name__ == "__main__":
    lam, mu, until, seed = sys.argv[1:5]
    main(float(lam), float(mu), float(until), int(seed))
