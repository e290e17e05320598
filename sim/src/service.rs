//! Service-time distributions: how long one request occupies one worker.

use crate::rng::SimRng;
use crate::time::{Nanos, from_secs};
use rand_distr::{Distribution, Exp, LogNormal};

/// A service-time distribution with a given mean.
#[derive(Debug, Clone)]
pub enum ServiceTime {
    /// Every request takes exactly this long [ns].
    Constant(Nanos),
    /// Exponentially distributed with the given rate [1/s]; mean = 1/rate.
    Exponential(Exp<f64>),
    /// Log-normally distributed service time [s].
    LogNormal(LogNormal<f64>),
}

impl ServiceTime {
    /// Builds a distribution named as in the catalog (`constant`,
    /// `exponential`, `lognormal`) with mean `mean_ms` [ms] and, for
    /// log-normal, coefficient of variation `cv` (std dev ÷ mean).
    ///
    /// Parameters come from a validated design (mean > 0), so construction
    /// cannot fail; a zero `cv` degrades to a constant.
    pub fn new(name: &str, mean_ms: f64, cv: f64) -> Self {
        let mean_s = mean_ms / 1_000.0;
        match name {
            "exponential" => match Exp::new(1.0 / mean_s) {
                Ok(d) => ServiceTime::Exponential(d),
                Err(_) => ServiceTime::Constant(from_secs(mean_s)),
            },
            "lognormal" if cv > 0.0 => {
                // For a log-normal with mean m and CV c:
                // σ² = ln(1 + c²), μ = ln(m) − σ²/2.
                let sigma2 = libm::log(1.0 + cv * cv);
                let mu = libm::log(mean_s) - sigma2 / 2.0;
                match LogNormal::new(mu, libm::sqrt(sigma2)) {
                    Ok(d) => ServiceTime::LogNormal(d),
                    Err(_) => ServiceTime::Constant(from_secs(mean_s)),
                }
            }
            _ => ServiceTime::Constant(from_secs(mean_s)),
        }
    }

    /// Draws one service time [ns].
    pub fn sample(&self, rng: &mut SimRng) -> Nanos {
        match self {
            ServiceTime::Constant(ns) => *ns,
            ServiceTime::Exponential(d) => from_secs(d.sample(rng)),
            ServiceTime::LogNormal(d) => from_secs(d.sample(rng)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn mean_and_cv(d: &ServiceTime, n: usize) -> (f64, f64) {
        let mut rng = stream(3, "svc");
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng) as f64 / 1e6).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        (mean, var.sqrt() / mean)
    }

    #[test]
    fn distributions_have_the_requested_mean_and_spread() {
        // 200k samples: standard error of the mean is ≈ cv/√n ≈ 0.2–0.5 %;
        // 2 % tolerance leaves room without hiding a wrong formula.
        let (m, cv) = mean_and_cv(&ServiceTime::new("exponential", 10.0, 0.0), 200_000);
        assert!((m - 10.0).abs() < 0.2, "exp mean {m}");
        assert!((cv - 1.0).abs() < 0.02, "exp cv {cv}");
        let (m, cv) = mean_and_cv(&ServiceTime::new("lognormal", 10.0, 0.5), 200_000);
        assert!((m - 10.0).abs() < 0.2, "lognormal mean {m}");
        assert!((cv - 0.5).abs() < 0.02, "lognormal cv {cv}");
        let (m, cv) = mean_and_cv(&ServiceTime::new("constant", 10.0, 3.0), 10);
        assert_eq!((m, cv), (10.0, 0.0));
    }
}
