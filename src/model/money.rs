use serde::{Deserialize, Serialize};

/// Whole cents; never floating point for totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Money(pub i64);

impl Money {
    /// Reads "120", "120.5", "$1,200.50". None for anything else or more than 2 decimals.
    pub fn parse(input: &str) -> Option<Money> {
        let s: String = input
            .trim()
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        if s.is_empty() || s.starts_with('-') {
            return None;
        }
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if frac.len() > 2
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let frac: i64 = format!("{frac:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(frac).map(Money)
    }

    /// Basis points: 1000 = 10%. Rounds half up to the cent.
    pub fn percent_bp(self, bp: i32) -> Money {
        Money((self.0 * bp as i64 + 5_000) / 10_000)
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dollars = self.0 / 100;
        let cents = self.0 % 100;
        let mut grouped = String::new();
        let digits = dollars.to_string();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "${grouped}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_staff_type_and_prints_it_back() {
        assert_eq!(Money::parse("$1,200.5"), Some(Money(120_050)));
        assert_eq!(Money::parse("99"), Some(Money(9_900)));
        assert_eq!(Money::parse("0.05"), Some(Money(5)));
        assert_eq!(Money::parse("1.234"), None);
        assert_eq!(Money::parse("-5"), None);
        assert_eq!(Money::parse("ten"), None);
        assert_eq!(Money(123_456_78).to_string(), "$123,456.78");
        assert_eq!(Money(5).to_string(), "$0.05");
    }

    #[test]
    fn gst_rounds_to_the_nearest_cent() {
        assert_eq!(Money(12_345).percent_bp(1000), Money(1_235));
        assert_eq!(Money(10_000).percent_bp(1000), Money(1_000));
    }
}
