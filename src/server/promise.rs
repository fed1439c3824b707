//! The promise "Get human help" makes, in the business's time zone: `model::hours` does the
//! counting in wall-clock time; this converts to and from the instants the database keeps.
use super::config::Config;
use crate::model::hours::when;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

fn local(config: &Config, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&config.timezone).naive_local()
}

/// When a person will have called back someone who asked at `asked`.
pub fn promised_by(config: &Config, asked: DateTime<Utc>) -> DateTime<Utc> {
    let due = config.hours.promise(local(config, asked));
    // A promise that falls in a daylight-saving gap moves to the first instant after it.
    config
        .timezone
        .from_local_datetime(&due)
        .earliest()
        .or_else(|| {
            config
                .timezone
                .from_local_datetime(&(due + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or(asked, |t| t.with_timezone(&Utc))
}

/// "10:30 am tomorrow": counted from `asked`, or from now when nobody has asked yet.
pub fn help_by(config: &Config, asked: Option<DateTime<Utc>>) -> String {
    let now = Utc::now();
    let due = promised_by(config, asked.unwrap_or(now));
    when(local(config, due), local(config, now))
}

/// Whether a request that asked for a person at `asked` is past its promise.
pub fn overdue(config: &Config, asked: DateTime<Utc>) -> bool {
    promised_by(config, asked) < Utc::now()
}
