//! When each request is due: open-loop arrivals at a rate that may ramp up first. The schedule
//! is fixed before the first request goes out, so a slow endpoint cannot slow the arrivals down
//! (closed-loop tools wait for an answer before the next request and hide the queueing a real
//! audience would meet: coordinated omission).

/// A linear ramp from `from` to `rate` requests/s over `ramp_s` seconds, then `rate` for
/// `hold_s` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub from: f64,
    pub rate: f64,
    pub ramp_s: f64,
    pub hold_s: f64,
}

impl Schedule {
    /// How many requests are due by `t` seconds (fractional): the integral of the rate.
    pub fn due_by(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        if self.ramp_s <= 0.0 {
            self.rate * t
        } else if t <= self.ramp_s {
            self.from * t + (self.rate - self.from) * t * t / (2.0 * self.ramp_s)
        } else {
            self.due_by(self.ramp_s) + self.rate * (t - self.ramp_s)
        }
    }

    /// The whole run, seconds.
    pub fn length_s(&self) -> f64 {
        self.ramp_s + self.hold_s
    }

    /// How many requests the run sends: every one due before its end.
    pub fn total(&self) -> u64 {
        // A request due exactly at the end belongs to the next second; the epsilon keeps
        // 50/s × 2 s at 100 whatever the rounding.
        (self.due_by(self.length_s()) - 1e-9).ceil().max(0.0) as u64
    }

    /// The rate at `t` seconds.
    pub fn rate_at(&self, t: f64) -> f64 {
        if t < self.ramp_s {
            self.from + (self.rate - self.from) * t / self.ramp_s
        } else {
            self.rate
        }
    }

    /// When request `i` (from 0) is due, seconds from the start: when [`Schedule::due_by`]
    /// reaches `i`.
    pub fn due(&self, i: u64) -> f64 {
        let n = i as f64;
        let ramped = self.due_by(self.ramp_s);
        if self.ramp_s > 0.0 && n < ramped {
            // from·t + k·t² = n
            let k = (self.rate - self.from) / (2.0 * self.ramp_s);
            if k.abs() < 1e-12 {
                return n / self.from;
            }
            (-self.from + (self.from * self.from + 4.0 * k * n).sqrt()) / (2.0 * k)
        } else {
            self.ramp_s + (n - ramped) / self.rate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_rate_spaces_requests_evenly() {
        let s = Schedule { from: 0.0, rate: 50.0, ramp_s: 0.0, hold_s: 2.0 };
        assert_eq!(s.total(), 100);
        assert_eq!(s.due(0), 0.0);
        assert!((s.due(1) - 0.02).abs() < 1e-12);
        assert!((s.due(99) - 1.98).abs() < 1e-9);
    }

    #[test]
    fn a_ramp_sends_its_integral_and_due_times_invert_it() {
        let s = Schedule { from: 0.0, rate: 100.0, ramp_s: 10.0, hold_s: 5.0 };
        // The ramp's triangle (500) and the hold (500).
        assert_eq!(s.total(), 1000);
        assert_eq!(s.rate_at(5.0), 50.0);
        for i in [1, 10, 250, 499, 500, 501, 999] {
            let t = s.due(i);
            assert!((s.due_by(t) - i as f64).abs() < 1e-6, "request {i} at {t}");
            assert!(t < s.length_s());
        }
        // Arrivals thicken along the ramp.
        assert!(s.due(20) - s.due(10) > s.due(420) - s.due(410));
        let from_ten = Schedule { from: 10.0, rate: 10.0, ramp_s: 3.0, hold_s: 1.0 };
        assert_eq!(from_ten.total(), 40);
        assert!((from_ten.due(15) - 1.5).abs() < 1e-9);
    }
}
