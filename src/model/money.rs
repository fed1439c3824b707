//! Money in whole cents, and the one reader of the decimals staff type (prices, quantities,
//! tax percentages). Never floating point: "NaN", "inf" and "1e309" are simply not numbers.
use super::field::{Field, FieldError, Reason};
use serde::{Deserialize, Serialize};

/// Whole cents, never negative; never floating point for totals. Outside `model` a value
/// is made only by parsing or `from_cents`, and read with `cents()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

/// Why a typed decimal was not read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DecimalError {
    Empty,
    NotANumber,
    Overflow,
}

/// Reads a plain positive decimal with at most two places into hundredths ("1,200.5" →
/// 120_050). `symbol` may lead (`$`) or trail (`%`) once; commas group thousands. Signs,
/// exponents, "NaN", "inf" and anything else are `NotANumber`; too many digits `Overflow`.
pub(crate) fn parse_hundredths(input: &str, symbol: Option<char>) -> Result<i64, DecimalError> {
    let mut s = input.trim();
    if let Some(sym) = symbol {
        s = s
            .strip_prefix(sym)
            .or_else(|| s.strip_suffix(sym))
            .unwrap_or(s)
            .trim();
    }
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits_ok = |t: &str| t.bytes().all(|b| b.is_ascii_digit() || b == b',');
    if frac.len() > 2
        || (whole.is_empty() && frac.is_empty())
        || !digits_ok(whole)
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(DecimalError::NotANumber);
    }
    let mut value: i64 = 0;
    for b in whole.bytes().filter(|b| *b != b',') {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(DecimalError::Overflow)?;
    }
    let frac: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| DecimalError::NotANumber)?;
    value
        .checked_mul(100)
        .and_then(|v| v.checked_add(frac))
        .ok_or(DecimalError::Overflow)
}

/// Reads a decimal for `field` and checks it against `min..=max` (in hundredths).
pub(crate) fn parse_in_range(
    field: Field,
    input: &str,
    symbol: Option<char>,
    min: i64,
    max: i64,
) -> Result<i64, FieldError> {
    let out_of_range = FieldError::new(field, Reason::OutOfRange { min, max });
    match parse_hundredths(input, symbol) {
        Ok(v) if v > max => Err(out_of_range),
        // Below the minimum is, for every field we have, zero: the old wording
        // ("should be a number like 1 or 1.5") fits it.
        Ok(v) if v < min => Err(FieldError::new(field, Reason::NotANumber)),
        Ok(v) => Ok(v),
        Err(DecimalError::Empty) => Err(FieldError::new(field, Reason::Missing)),
        Err(DecimalError::NotANumber) => Err(FieldError::new(field, Reason::NotANumber)),
        Err(DecimalError::Overflow) => Err(out_of_range),
    }
}

/// "1234567" → "1,234,567".
pub(crate) fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

impl Money {
    /// The most a typed price may be: far above any job, and low enough that
    /// quantity × price on a quote line cannot overflow.
    pub const MAX_TYPED: Money = Money(1_000_000_000);

    /// Reads "120", "120.5", "$1,200.50". None for anything else or more than 2 decimals.
    /// Kept for existing callers; new code uses [`Money::parse_as`], which says why.
    pub fn parse(input: &str) -> Option<Money> {
        parse_hundredths(input, Some('$')).ok().map(Money)
    }

    /// A price typed into `field`: 0 to [`Money::MAX_TYPED`].
    pub fn parse_as(field: Field, input: &str) -> Result<Money, FieldError> {
        parse_in_range(field, input, Some('$'), 0, Self::MAX_TYPED.0).map(Money)
    }

    /// For sums of amounts that are already checked (line totals, tax): never negative.
    pub(in crate::model) const fn raw(cents: i64) -> Money {
        Money(cents)
    }

    /// None for a negative amount.
    pub fn from_cents(cents: i64) -> Option<Money> {
        (cents >= 0).then_some(Money(cents))
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Basis points: 1000 = 10%. Rounds half up to the cent.
    pub fn percent_bp(self, bp: i32) -> Money {
        Money((self.0 * bp as i64 + 5_000) / 10_000)
    }
}

impl std::str::FromStr for Money {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse_as(Field::UnitPrice { line: None }, s)
    }
}

/// Stored quotes and the wire carry cents; only the sign can make them wrong.
impl TryFrom<i64> for Money {
    type Error = FieldError;
    fn try_from(cents: i64) -> Result<Self, Self::Error> {
        Money::from_cents(cents).ok_or(FieldError::new(
            Field::UnitPrice { line: None },
            Reason::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
        ))
    }
}

impl From<Money> for i64 {
    fn from(m: Money) -> i64 {
        m.0
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dollars = self.0 / 100;
        let cents = self.0 % 100;
        write!(f, "${}.{cents:02}", group_thousands(dollars.unsigned_abs()))
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
        assert_eq!(Money(12_345_678).to_string(), "$123,456.78");
        assert_eq!(Money(5).to_string(), "$0.05");
    }

    #[test]
    fn gst_rounds_to_the_nearest_cent() {
        assert_eq!(Money(12_345).percent_bp(1000), Money(1_235));
        assert_eq!(Money(10_000).percent_bp(1000), Money(1_000));
    }
}
