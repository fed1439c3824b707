//! Quantities, prices and tax rates: typed decimals, never floating point.
use super::reason;
use crate::model::field::{Field, Reason};
use crate::model::money::Money;
use crate::model::values::{Quantity, TaxRate};

#[test]
fn quantities_are_positive_decimals_with_two_places() {
    assert_eq!(Quantity::parse("1").unwrap(), Quantity::ONE);
    assert_eq!(Quantity::parse("1.5").unwrap().hundredths(), 150);
    assert_eq!(Quantity::parse(" 0.25 ").unwrap().hundredths(), 25);
    assert_eq!(Quantity::parse("1,000").unwrap().hundredths(), 100_000);
    assert_eq!(Quantity::parse("1.5").unwrap().to_string(), "1.5");
    for bad in [
        "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "1e3", "-1", "+1", "0x10", "1.234",
        "1.2.3", ".", "one", "1 5", "١", "1\0",
    ] {
        assert_eq!(reason(Quantity::parse(bad)), Reason::NotANumber, "{bad:?}");
    }
    assert_eq!(reason(Quantity::parse("0")), Reason::NotANumber);
    assert_eq!(reason(Quantity::parse("")), Reason::Missing);
    assert_eq!(
        reason(Quantity::parse("100000.01")),
        Reason::OutOfRange {
            min: 1,
            max: 10_000_000
        }
    );
    assert!(Quantity::parse("100000").is_ok());
    assert!(matches!(
        reason(Quantity::parse("92233720368547758.08")),
        Reason::OutOfRange { .. }
    ));
    assert_eq!(
        Quantity::parse_as(Field::Quantity { line: Some(2) }, "-1")
            .unwrap_err()
            .to_string(),
        "Line 2: quantity should be a number like 1 or 1.5."
    );
}

#[test]
fn money_reads_what_staff_type_and_refuses_the_rest() {
    let price = |s: &str| Money::parse_as(Field::UnitPrice { line: Some(1) }, s);
    assert_eq!(price("$1,200.5").unwrap(), Money::raw(120_050));
    assert_eq!(price("0").unwrap(), Money::raw(0));
    assert_eq!(price("10000000").unwrap(), Money::MAX_TYPED);
    for bad in [
        "NaN", "inf", "1e309", "-1", "-$1", "$-1", "1.234", "ten", "$",
    ] {
        assert!(
            matches!(reason(price(bad)), Reason::NotANumber | Reason::Missing),
            "{bad:?}"
        );
    }
    assert!(matches!(
        reason(price("10000000.01")),
        Reason::OutOfRange { .. }
    ));
    // i64::MAX cents and beyond: overflow is a range refusal, never a panic or a wrap.
    assert!(matches!(
        reason(price("92233720368547758.07")),
        Reason::OutOfRange { .. }
    ));
    assert!(matches!(
        reason(price("999999999999999999999999")),
        Reason::OutOfRange { .. }
    ));
    assert_eq!(
        price("ten").unwrap_err().to_string(),
        "Line 1: unit price should be an amount like 120 or 89.50."
    );
    assert_eq!(Money::from_cents(-1), None);
    assert_eq!(Money::from_cents(5).unwrap().cents(), 5);
    assert_eq!("12".parse::<Money>().unwrap(), Money::raw(1_200));
}

#[test]
fn tax_rates_are_percentages_from_0_to_100() {
    assert_eq!(TaxRate::parse("10").unwrap().basis_points(), 1_000);
    assert_eq!(TaxRate::parse("12.5%").unwrap().basis_points(), 1_250);
    assert_eq!(TaxRate::parse("0").unwrap().basis_points(), 0);
    assert_eq!(TaxRate::parse("100").unwrap().basis_points(), 10_000);
    assert_eq!(TaxRate::parse("12.5").unwrap().to_string(), "12.5%");
    for bad in ["NaN", "inf", "1e309", "-1", "10.001", "ten"] {
        assert_eq!(reason(TaxRate::parse(bad)), Reason::NotANumber, "{bad:?}");
    }
    assert!(matches!(
        reason(TaxRate::parse("100.01")),
        Reason::OutOfRange { .. }
    ));
    assert!(matches!(
        reason(TaxRate::parse("99999999999999999999")),
        Reason::OutOfRange { .. }
    ));
    assert_eq!(
        TaxRate::parse("150").unwrap_err().to_string(),
        "Tax should be a percentage like 10."
    );
}
