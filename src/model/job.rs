//! Jobs: an accepted request turned into scheduled work with a technician, and the steps
//! the technician taps through (On my way, Start, Finish).
use super::{
    request::AttachmentInfo,
    room::ThreadMessage,
    status::{MoveRefused, RequestStatus},
};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum JobKind {
    WorkOrder,
    Inspection,
}

impl JobKind {
    pub const ALL: [JobKind; 2] = [Self::WorkOrder, Self::Inspection];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WorkOrder => "work_order",
            Self::Inspection => "inspection",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::WorkOrder => "Work order",
            Self::Inspection => "Inspection",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum JobStatus {
    Scheduled,
    OnMyWay,
    InProgress,
    Finished,
    Cancelled,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        Self::Scheduled,
        Self::OnMyWay,
        Self::InProgress,
        Self::Finished,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::OnMyWay => "on_my_way",
            Self::InProgress => "in_progress",
            Self::Finished => "finished",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::OnMyWay => "On my way",
            Self::InProgress => "In progress",
            Self::Finished => "Finished",
            Self::Cancelled => "Cancelled",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Finished | Self::Cancelled)
    }

    /// The technician's one-tap steps from here, in order, with the button's words.
    pub fn steps(self) -> &'static [(JobStatus, &'static str)] {
        match self {
            // "Start" straight away too: a technician already at the door skips the drive.
            Self::Scheduled => &[(Self::OnMyWay, "On my way"), (Self::InProgress, "Start")],
            Self::OnMyWay => &[(Self::InProgress, "Start")],
            Self::InProgress => &[(Self::Finished, "Finish")],
            Self::Finished | Self::Cancelled => &[],
        }
    }

    /// The one rule for moving a job; a refusal says why.
    pub fn check_move(self, to: JobStatus) -> Result<(), MoveRefused> {
        if !self.is_open() {
            return Err(format!(
                "This job is already {}.",
                self.label().to_lowercase()
            ));
        }
        if to == Self::Cancelled || self.steps().iter().any(|(s, _)| *s == to) {
            return Ok(());
        }
        Err(match to {
            Self::Finished => "Start the job before finishing it.".into(),
            Self::Scheduled => "A job that has begun can't go back to scheduled.".into(),
            _ if to == self => format!("This job is already {}.", self.label().to_lowercase()),
            _ => format!(
                "A job that is {} can't move to {}.",
                self.label().to_lowercase(),
                to.label().to_lowercase()
            ),
        })
    }

    /// A job's time, technician or address may change only while it is booked: once the
    /// technician is on the way, the visit is cancelled and booked again instead.
    pub fn check_change(self) -> Result<(), MoveRefused> {
        match self {
            Self::Scheduled => Ok(()),
            Self::OnMyWay | Self::InProgress => Err(
                "The technician is already on this job. Cancel the visit to book another time."
                    .into(),
            ),
            _ => Err(format!(
                "This job is already {}.",
                self.label().to_lowercase()
            )),
        }
    }

    /// Where the request stands while its job is here. A cancelled job hands the request
    /// back to the office (Accepted), to be rescheduled or closed.
    pub fn request_status(self) -> RequestStatus {
        match self {
            Self::Scheduled => RequestStatus::Scheduled,
            Self::OnMyWay | Self::InProgress => RequestStatus::InProgress,
            Self::Finished => RequestStatus::Done,
            Self::Cancelled => RequestStatus::Accepted,
        }
    }
}

/// A job as staff see it. Times are wall-clock times in the business's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: Uuid,
    pub number: i64,
    pub request_id: Uuid,
    pub reference: String,
    pub kind: JobKind,
    pub location: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub technician_id: Uuid,
    pub technician_name: String,
    /// For the technician; never shown to the customer.
    pub notes: String,
    pub status: JobStatus,
    /// Customer-facing: the finish summary or the cancel reason.
    pub outcome: Option<String>,
}

impl Job {
    pub fn number_label(&self) -> String {
        format!("J-{}", self.number)
    }

    /// "Thursday 3 December, 9:00 am – 11:00 am".
    pub fn when(&self) -> String {
        when(self.starts, self.ends)
    }
}

/// What changed between two versions of a job, in the office's words (for the activity
/// log), and whether the customer needs to hear about it (notes are for the technician).
pub struct JobChanges {
    pub log: Vec<String>,
    pub customer_sees: bool,
}

impl Job {
    pub fn changes_to(&self, after: &Job) -> JobChanges {
        let mut log = Vec::new();
        if self.kind != after.kind {
            log.push(format!(
                "kind {} → {}",
                self.kind.label(),
                after.kind.label()
            ));
        }
        if (self.starts, self.ends) != (after.starts, after.ends) {
            log.push(format!("time {} → {}", self.when(), after.when()));
        }
        if self.technician_id != after.technician_id {
            log.push(format!(
                "technician {} → {}",
                self.technician_name, after.technician_name
            ));
        }
        if self.location != after.location {
            log.push(format!("address {} → {}", self.location, after.location));
        }
        let customer_sees = !log.is_empty();
        if self.notes != after.notes {
            log.push("notes for the technician".into());
        }
        JobChanges { log, customer_sees }
    }
}

/// A day and a time range in plain words.
pub fn when(starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    let time = |t: NaiveDateTime| t.format("%-I:%M %P").to_string();
    let day = starts.format("%A %-d %B");
    if starts.date() == ends.date() {
        format!("{day}, {} – {}", time(starts), time(ends))
    } else {
        format!(
            "{day}, {} – {} {}",
            time(starts),
            ends.format("%A %-d %B"),
            time(ends)
        )
    }
}

/// A job on the technician's day, with what they need at the door.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayJob {
    pub job: Job,
    pub first_name: String,
    pub phone: Option<String>,
    pub service_type: String,
    /// What the customer wrote when asking.
    pub request_notes: String,
    pub photos: Vec<AttachmentInfo>,
    pub messages: Vec<ThreadMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_job_moves_forward_one_tap_at_a_time_and_can_be_cancelled_while_open() {
        use JobStatus::*;
        assert!(Scheduled.check_move(OnMyWay).is_ok());
        assert!(Scheduled.check_move(InProgress).is_ok());
        assert!(OnMyWay.check_move(InProgress).is_ok());
        assert!(InProgress.check_move(Finished).is_ok());
        assert_eq!(
            Scheduled.check_move(Finished).unwrap_err(),
            "Start the job before finishing it."
        );
        assert!(InProgress.check_move(Scheduled).is_err());
        assert!(InProgress.check_move(Cancelled).is_ok());
        assert_eq!(
            Finished.check_move(Cancelled).unwrap_err(),
            "This job is already finished."
        );
        assert_eq!(Cancelled.request_status(), RequestStatus::Accepted);
        assert_eq!(OnMyWay.request_status(), RequestStatus::InProgress);
        assert!(Scheduled.check_change().is_ok());
        assert!(OnMyWay
            .check_change()
            .unwrap_err()
            .contains("Cancel the visit"));
        assert_eq!(
            Finished.check_change().unwrap_err(),
            "This job is already finished."
        );
    }

    #[test]
    fn times_read_as_a_person_says_them() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let s = d.and_hms_opt(9, 0, 0).unwrap();
        let e = d.and_hms_opt(13, 30, 0).unwrap();
        assert_eq!(when(s, e), "Thursday 3 December, 9:00 am – 1:30 pm");
    }
}
