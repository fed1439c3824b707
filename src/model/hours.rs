//! Business hours and the promise a customer who asks for a person gets: "We'll call you
//! back by 10:30 am tomorrow". The clock only runs while the business is open, so a
//! Friday-evening ask is answered on Monday morning and a holiday counts as closed.
//! Everything here is in the business's local wall-clock time; the server converts.
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// Open and close per weekday, Monday first; `None` is closed all day.
    pub days: [Option<(NaiveTime, NaiveTime)>; 7],
    pub holidays: Vec<NaiveDate>,
    /// How many open minutes a person takes at most to get back to someone.
    pub response_minutes: i64,
}

/// Mon–Fri 7:30 am–5 pm and Saturday 8 am–noon; a call back within two open hours.
pub const DEFAULT_HOURS: &str = "mon-fri 07:30-17:00, sat 08:00-12:00";

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl BusinessHours {
    /// `spec` like `"mon-fri 07:30-17:00, sat 08:00-12:00"` (unlisted days are closed);
    /// `holidays` like `"2026-12-25, 2026-12-26"`. The error names what could not be read.
    pub fn parse(spec: &str, holidays: &str, response_minutes: i64) -> Result<Self, String> {
        let mut days = [None; 7];
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (range, times) = part.split_once(' ').ok_or_else(|| {
                format!("'{part}': expected days and times, e.g. mon-fri 08:00-17:00")
            })?;
            let (from, to) = match range.split_once('-') {
                Some((a, b)) => (day(a)?, day(b)?),
                None => (day(range)?, day(range)?),
            };
            let (open, close) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| format!("'{part}': expected a time range like 08:00-17:00"))?;
            let open = time(open)?;
            let close = time(close)?;
            if close <= open {
                return Err(format!("'{part}': closing time must be after opening time"));
            }
            let mut d = from;
            loop {
                days[d] = Some((open, close));
                if d == to {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        if days.iter().all(Option::is_none) {
            return Err("no open day: the business must be open some time".into());
        }
        let holidays = holidays
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| {
                NaiveDate::parse_from_str(h, "%Y-%m-%d")
                    .map_err(|_| format!("holiday '{h}': expected YYYY-MM-DD"))
            })
            .collect::<Result<_, _>>()?;
        if !(1..=7 * 24 * 60).contains(&response_minutes) {
            return Err("response time must be between 1 minute and a week".into());
        }
        Ok(BusinessHours {
            days,
            holidays,
            response_minutes,
        })
    }

    /// Opening hours on `date`, if it is open at all.
    fn open_on(&self, date: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        if self.holidays.contains(&date) {
            return None;
        }
        self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// When a person will have got back to someone who asked at `asked`: `response_minutes`
    /// of open time later.
    pub fn promise(&self, asked: NaiveDateTime) -> NaiveDateTime {
        let mut left = Duration::minutes(self.response_minutes);
        let mut now = asked;
        // Bounded: a year of closed days would mean the hours are wrong, not a promise.
        for _ in 0..400 {
            if let Some((open, close)) = self.open_on(now.date()) {
                let start = now.max(now.date().and_time(open));
                let end = now.date().and_time(close);
                if start < end {
                    if end - start >= left {
                        return start + left;
                    }
                    left -= end - start;
                }
            }
            now = (now.date() + Duration::days(1)).and_time(NaiveTime::MIN);
        }
        asked + Duration::minutes(self.response_minutes)
    }
}

fn day(s: &str) -> Result<usize, String> {
    let s = s.trim().to_lowercase();
    DAYS.iter()
        .position(|d| s.starts_with(d))
        .ok_or_else(|| format!("'{s}' is not a day (mon, tue, … sun)"))
}

fn time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| format!("'{}' is not a time like 08:30", s.trim()))
}

/// "10:30 am today", "9 am tomorrow", "8:15 am on Monday", "9 am on Tue 29 Dec".
pub fn when(at: NaiveDateTime, now: NaiveDateTime) -> String {
    let time = if at.format("%M").to_string() == "00" {
        at.format("%-I %P").to_string()
    } else {
        at.format("%-I:%M %P").to_string()
    };
    let days = (at.date() - now.date()).num_days();
    let day = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        2..=6 => format!("on {}", weekday_name(at.weekday())),
        _ => format!("on {}", at.format("%a %-d %b")),
    };
    format!("{time} {day}")
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn hours(holidays: &str) -> BusinessHours {
        BusinessHours::parse(DEFAULT_HOURS, holidays, 120).unwrap()
    }

    #[test]
    fn within_the_day_it_is_two_open_hours_later() {
        // Tuesday 1 Dec 2026, 9:10 am.
        assert_eq!(
            hours("").promise(at("2026-12-01 09:10")),
            at("2026-12-01 11:10")
        );
        // Asked before opening: from opening.
        assert_eq!(
            hours("").promise(at("2026-12-01 06:00")),
            at("2026-12-01 09:30")
        );
    }

    #[test]
    fn late_in_the_day_the_rest_carries_to_the_next_morning() {
        // 4 pm Tuesday: one hour today, one from 7:30 Wednesday.
        assert_eq!(
            hours("").promise(at("2026-12-01 16:00")),
            at("2026-12-02 08:30")
        );
    }

    #[test]
    fn across_a_weekend_saturday_morning_counts_and_sunday_does_not() {
        // Friday 4 Dec, 4:30 pm: 30 min Friday, 90 min Saturday from 8 am.
        assert_eq!(
            hours("").promise(at("2026-12-04 16:30")),
            at("2026-12-05 09:30")
        );
        // Saturday 11:30 am: 30 min Saturday, then Sunday is closed, 90 min Monday.
        assert_eq!(
            hours("").promise(at("2026-12-05 11:30")),
            at("2026-12-07 09:00")
        );
        // Sunday: Monday morning.
        assert_eq!(
            hours("").promise(at("2026-12-06 10:00")),
            at("2026-12-07 09:30")
        );
    }

    #[test]
    fn a_holiday_is_closed_all_day() {
        // Thursday 24 Dec 4 pm, Christmas and Boxing Day (a Saturday) off, Sunday closed.
        let h = hours("2026-12-25, 2026-12-26");
        assert_eq!(h.promise(at("2026-12-24 16:00")), at("2026-12-28 08:30"));
    }

    #[test]
    fn the_promise_reads_like_a_person_would_say_it() {
        let now = at("2026-12-01 16:00");
        assert_eq!(when(at("2026-12-01 17:00"), now), "5 pm today");
        assert_eq!(when(at("2026-12-02 08:30"), now), "8:30 am tomorrow");
        assert_eq!(when(at("2026-12-07 09:00"), now), "9 am on Monday");
        assert_eq!(when(at("2026-12-28 08:30"), now), "8:30 am on Mon 28 Dec");
    }

    #[test]
    fn hours_that_cannot_be_read_say_why() {
        assert!(BusinessHours::parse("mon-fri 9-5", "", 120)
            .unwrap_err()
            .contains("not a time"));
        assert!(BusinessHours::parse("funday 09:00-17:00", "", 120)
            .unwrap_err()
            .contains("not a day"));
        assert!(BusinessHours::parse("mon 17:00-09:00", "", 120)
            .unwrap_err()
            .contains("after opening"));
        assert!(BusinessHours::parse("", "", 120)
            .unwrap_err()
            .contains("no open day"));
        assert!(BusinessHours::parse(DEFAULT_HOURS, "25/12/2026", 120)
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        // A range may wrap the week's end.
        let h = BusinessHours::parse("sat-mon 10:00-14:00", "", 60).unwrap();
        assert!(h.days[6].is_some() && h.days[0].is_some() && h.days[1].is_none());
    }
}
