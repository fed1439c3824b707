//! In-memory rate limits (per instance). Keys are normalised contacts, emails or peer IPs —
//! never a client-supplied X-Forwarded-For.
use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::{num::NonZeroU32, time::Duration};

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

pub struct Limiters {
    /// New room links per contact: 3 at once, then one every 5 minutes.
    pub link_per_contact: Keyed,
    /// New room links per IP: 10 at once, then one a minute.
    pub link_per_ip: Keyed,
    /// Staff sign-in per account: 5 at once, then one a minute.
    pub signin_per_account: Keyed,
    /// Staff sign-in per IP: 20 at once, then one every 15 s.
    pub signin_per_ip: Keyed,
    /// Intake submissions per IP: 20 at once, then one every 30 s.
    pub intake_per_ip: Keyed,
    /// Room photo uploads per signed-in session owner: 10 at once, then one every 6 s.
    pub photos_per_session: Keyed,
}

fn keyed(burst: u32, every: Duration) -> Keyed {
    let quota = Quota::with_period(every)
        .expect("non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"));
    RateLimiter::keyed(quota)
}

impl Default for Limiters {
    fn default() -> Self {
        Limiters {
            link_per_contact: keyed(3, Duration::from_secs(300)),
            link_per_ip: keyed(10, Duration::from_secs(60)),
            signin_per_account: keyed(5, Duration::from_secs(60)),
            signin_per_ip: keyed(20, Duration::from_secs(15)),
            intake_per_ip: keyed(20, Duration::from_secs(30)),
            photos_per_session: keyed(10, Duration::from_secs(6)),
        }
    }
}

impl Limiters {
    fn all(&self) -> [&Keyed; 6] {
        [
            &self.link_per_contact,
            &self.link_per_ip,
            &self.signin_per_account,
            &self.signin_per_ip,
            &self.intake_per_ip,
            &self.photos_per_session,
        ]
    }

    /// Drops keys whose limit has fully recovered, so one instance's memory does not grow
    /// with every address and contact it has ever seen.
    pub fn forget_idle(&self) {
        for limiter in self.all() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    pub fn tracked_keys(&self) -> usize {
        self.all().iter().map(|l| l.len()).sum()
    }
}

/// Runs [`Limiters::forget_idle`] every ten minutes (the longest period above is five).
pub fn spawn_forgetting(limits: std::sync::Arc<Limiters>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            limits.forget_idle();
        }
    });
}

pub fn allow(limiter: &Keyed, key: &str) -> bool {
    limiter.check_key(&key.to_string()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovered_keys_are_forgotten_and_limits_still_hold() {
        let limits = Limiters {
            signin_per_ip: keyed(1, Duration::from_millis(20)),
            ..Limiters::default()
        };
        assert!(allow(&limits.signin_per_ip, "10.0.0.1"));
        assert!(!allow(&limits.signin_per_ip, "10.0.0.1"));
        assert!(allow(&limits.link_per_contact, "jo@example.com"));
        limits.forget_idle();
        // Neither has recovered yet: both are kept, and the refusal stands.
        assert_eq!(limits.tracked_keys(), 2);
        assert!(!allow(&limits.signin_per_ip, "10.0.0.1"));
        std::thread::sleep(Duration::from_millis(50));
        limits.forget_idle();
        assert_eq!(limits.tracked_keys(), 1, "the recovered IP is forgotten");
        assert!(allow(&limits.signin_per_ip, "10.0.0.1"));
    }
}
