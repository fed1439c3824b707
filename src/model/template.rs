//! Alert templates: which alerts exist, their default wording, the placeholders staff may
//! use, the checks a saved template must pass, rendering, and an SMS's length in segments.
//! Shared: the server renders with it and the template page's live preview counts with it.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AlertKind {
    RequestReceived,
    MoreInfoNeeded,
    QuoteReady,
    UpdatePosted,
    JobScheduled,
    OnMyWay,
    JobFinished,
    MagicLink,
    // For staff: to the person routing picks (`model::inbox::route`), by their chosen
    // channel; {room_link} is the request's staff page, never a customer's room link.
    StaffNewRequest,
    StaffHelpAsked,
    StaffCustomerWrote,
    StaffQuoteApproved,
    StaffQuoteDeclined,
    StaffNewLead,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Sms => "Text message",
        }
    }
}

/// What a template may name. None of them is a private detail: the customer's address,
/// problem, phone, email and prices never enter an alert; the room shows those.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placeholder {
    FirstName,
    Reference,
    RoomLink,
    BusinessName,
    TechnicianName,
    ArrivalWindow,
}

impl Placeholder {
    pub const ALL: [Placeholder; 6] = [
        Self::FirstName,
        Self::Reference,
        Self::RoomLink,
        Self::BusinessName,
        Self::TechnicianName,
        Self::ArrivalWindow,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::FirstName => "first_name",
            Self::Reference => "reference",
            Self::RoomLink => "room_link",
            Self::BusinessName => "business_name",
            Self::TechnicianName => "technician_name",
            Self::ArrivalWindow => "arrival_window",
        }
    }

    /// What {technician_name} reads as when alerts don't name people (or no one is booked).
    pub const NO_NAME: &'static str = "Your technician";

    /// What the preview shows for it.
    pub fn sample(self) -> &'static str {
        match self {
            Self::FirstName => "Jo",
            Self::Reference => "CR-7K3M9Q",
            // As long as a real one (64 hex digits), so a text's length is counted right.
            Self::RoomLink => {
                "https://room.example/r/3f9a07c2d1e84b6a9f0e2c7d5b1a8e4f3f9a07c2d1e84b6a9f0e2c7d5b1a8e4f"
            }
            Self::BusinessName => "Harbour Plumbing",
            Self::TechnicianName => "Sam",
            Self::ArrivalWindow => "Tuesday 8 January, 9:00 am – 11:00 am",
        }
    }
}

impl AlertKind {
    pub const ALL: [AlertKind; 14] = [
        Self::RequestReceived,
        Self::MoreInfoNeeded,
        Self::QuoteReady,
        Self::UpdatePosted,
        Self::JobScheduled,
        Self::OnMyWay,
        Self::JobFinished,
        Self::MagicLink,
        Self::StaffNewRequest,
        Self::StaffHelpAsked,
        Self::StaffCustomerWrote,
        Self::StaffQuoteApproved,
        Self::StaffQuoteDeclined,
        Self::StaffNewLead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequestReceived => "request_received",
            Self::MoreInfoNeeded => "more_info_needed",
            Self::QuoteReady => "quote_ready",
            Self::UpdatePosted => "update_posted",
            Self::JobScheduled => "job_scheduled",
            Self::OnMyWay => "on_my_way",
            Self::JobFinished => "job_finished",
            Self::MagicLink => "new_link",
            Self::StaffNewRequest => "staff_new_request",
            Self::StaffHelpAsked => "staff_help_asked",
            Self::StaffCustomerWrote => "staff_customer_wrote",
            Self::StaffQuoteApproved => "staff_quote_approved",
            Self::StaffQuoteDeclined => "staff_quote_declined",
            Self::StaffNewLead => "staff_new_lead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::RequestReceived => "Request received",
            Self::MoreInfoNeeded => "More information needed",
            Self::QuoteReady => "Quote ready",
            Self::UpdatePosted => "Update posted",
            Self::JobScheduled => "Job scheduled",
            Self::OnMyWay => "On my way",
            Self::JobFinished => "Job finished",
            Self::MagicLink => "New room link (sign-in)",
            Self::StaffNewRequest => "Staff: new request",
            Self::StaffHelpAsked => "Staff: customer asked for a person",
            Self::StaffCustomerWrote => "Staff: customer wrote or texted",
            Self::StaffQuoteApproved => "Staff: quote approved",
            Self::StaffQuoteDeclined => "Staff: quote declined",
            Self::StaffNewLead => "Staff: text from an unknown number",
        }
    }

    /// Sent to staff rather than to the customer.
    pub fn for_staff(self) -> bool {
        matches!(
            self,
            Self::StaffNewRequest
                | Self::StaffHelpAsked
                | Self::StaffCustomerWrote
                | Self::StaffQuoteApproved
                | Self::StaffQuoteDeclined
                | Self::StaffNewLead
        )
    }

    /// Whether this alert goes out on `channel` until the business says otherwise: every
    /// email; the texts that matter on the day (and those a customer without an email needs).
    pub fn on_by_default(self, channel: Channel) -> bool {
        channel == Channel::Email || !matches!(self, Self::UpdatePosted)
    }

    /// The wording until the business writes its own: (subject, body). Texts have no subject.
    pub fn default_text(self, channel: Channel) -> (&'static str, &'static str) {
        use AlertKind::*;
        match (self, channel) {
            (RequestReceived, Channel::Email) => ("We've got your request {reference}", "Hi {first_name},\n\nThanks for contacting {business_name}. Your request reference is {reference}.\n\nOpen your request room to check its status, add photos or ask a question:\n{room_link}\n\nWe will never ask for passwords, one-time codes or card details.\n\n{business_name}"),
            (RequestReceived, Channel::Sms) => ("", "{business_name}: we've got your request {reference}. Open your request room: {room_link}"),
            (MoreInfoNeeded, Channel::Email) => ("We need a little more from you — request {reference}", "Hi {first_name},\n\nWe need a little more information about your request {reference}. Open your request room to answer:\n{room_link}\n\n{business_name}"),
            (MoreInfoNeeded, Channel::Sms) => ("", "{business_name}: we need a little more about {reference}. Answer in your room: {room_link}"),
            (QuoteReady, Channel::Email) => ("Your quote is ready — request {reference}", "Hi {first_name},\n\nYour quote for request {reference} is ready. Open your request room to review it:\n{room_link}\n\nNothing is booked or charged until you say so.\n\n{business_name}"),
            (QuoteReady, Channel::Sms) => ("", "{business_name}: your quote for {reference} is ready. Review it in your room: {room_link}"),
            (UpdatePosted, Channel::Email) => ("There's an update — request {reference}", "Hi {first_name},\n\nThere's an update on your request {reference}. Open your request room to see it:\n{room_link}\n\n{business_name}"),
            (UpdatePosted, Channel::Sms) => ("", "{business_name}: there's an update on {reference}: {room_link}"),
            (JobScheduled, Channel::Email) => ("Your visit is booked — request {reference}", "Hi {first_name},\n\nYour visit for request {reference} is booked: {arrival_window}.\n{technician_name} will come to you. The details are in your request room:\n{room_link}\n\n{business_name}"),
            (JobScheduled, Channel::Sms) => ("", "{business_name}: your visit for {reference} is booked for {arrival_window}. Details: {room_link}"),
            (OnMyWay, Channel::Email) => ("{technician_name} is on the way — request {reference}", "Hi {first_name},\n\n{technician_name} is on the way for request {reference}.\nFollow along in your request room:\n{room_link}\n\n{business_name}"),
            (OnMyWay, Channel::Sms) => ("", "{business_name}: {technician_name} is on the way ({reference}). Follow along: {room_link}"),
            (JobFinished, Channel::Email) => ("Your job is finished — request {reference}", "Hi {first_name},\n\nThe work on request {reference} is finished. What was done is in your request room:\n{room_link}\n\n{business_name}"),
            (JobFinished, Channel::Sms) => ("", "{business_name}: the work on {reference} is finished. See what was done: {room_link}"),
            (MagicLink, Channel::Email) => ("Your new link to your request room", "Hi,\n\nHere is a fresh link to your request room ({reference}):\n{room_link}\n\nIt works for 2 hours and stays alive each time you use it.\nIf you didn't ask for this, you can ignore this message.\n\n{business_name}"),
            (MagicLink, Channel::Sms) => ("", "{business_name}: here is your new link to your request room: {room_link}"),
            (StaffNewRequest, Channel::Email) => ("New request {reference} from {first_name}", "{first_name} sent a new request, {reference}.\n\nOpen it: {room_link}"),
            (StaffNewRequest, Channel::Sms) => ("", "New request {reference} from {first_name}: {room_link}"),
            (StaffHelpAsked, Channel::Email) => ("{first_name} asked for a person — {reference}", "{first_name} asked to talk to a person about {reference}.\n\nOpen it: {room_link}"),
            (StaffHelpAsked, Channel::Sms) => ("", "Urgent: {first_name} asked for a person on {reference}: {room_link}"),
            (StaffCustomerWrote, Channel::Email) => ("{first_name} wrote about {reference}", "{first_name} wrote about {reference}.\n\nRead and answer it: {room_link}"),
            (StaffCustomerWrote, Channel::Sms) => ("", "{first_name} wrote about {reference}: {room_link}"),
            (StaffQuoteApproved, Channel::Email) => ("{first_name} approved the quote — {reference}", "{first_name} approved the quote for {reference}.\n\nOpen it: {room_link}"),
            (StaffQuoteApproved, Channel::Sms) => ("", "{first_name} approved the quote for {reference}: {room_link}"),
            (StaffQuoteDeclined, Channel::Email) => ("{first_name} declined the quote — {reference}", "{first_name} declined the quote for {reference}.\n\nOpen it: {room_link}"),
            (StaffQuoteDeclined, Channel::Sms) => ("", "{first_name} declined the quote for {reference}: {room_link}"),
            (StaffNewLead, Channel::Email) => ("A text from a number we don't know", "A text came in from a number that has no open request.\n\nRead it in the inbox: {room_link}"),
            (StaffNewLead, Channel::Sms) => ("", "A text from a number we don't know. Read it: {room_link}"),
        }
    }
}

/// Why a template can't be saved, in the words the editor shows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateProblem {
    #[error("{{{0}}} is not a placeholder. Use one of: {1}.")]
    Unknown(String, String),
    #[error("A {{ has no closing }}. Placeholders look like {{first_name}}.")]
    Unclosed,
    #[error(
        "Every alert must include {{room_link}}: it's how the reader gets back to the request."
    )]
    NoRoomLink,
    #[error("Write the message.")]
    Empty,
    #[error("Give the email a subject.")]
    NoSubject,
    #[error("Keep it under {0} characters.")]
    TooLong(usize),
}

fn placeholder_names() -> String {
    Placeholder::ALL
        .iter()
        .map(|p| format!("{{{}}}", p.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The placeholder names in `text`, in order, or the first problem with them.
fn placeholders(text: &str) -> Result<Vec<Placeholder>, TemplateProblem> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(TemplateProblem::Unclosed)?;
        let name = &after[..close];
        let p = Placeholder::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| TemplateProblem::Unknown(name.to_string(), placeholder_names()))?;
        found.push(p);
        rest = &after[close + 1..];
    }
    Ok(found)
}

/// The checks a template passes before it is saved.
pub fn check(channel: Channel, subject: &str, body: &str) -> Result<(), TemplateProblem> {
    if body.trim().is_empty() {
        return Err(TemplateProblem::Empty);
    }
    let limit = match channel {
        Channel::Email => 4000,
        Channel::Sms => 480,
    };
    if body.chars().count() > limit {
        return Err(TemplateProblem::TooLong(limit));
    }
    if channel == Channel::Email && subject.trim().is_empty() {
        return Err(TemplateProblem::NoSubject);
    }
    placeholders(subject)?;
    if !placeholders(body)?.contains(&Placeholder::RoomLink) {
        return Err(TemplateProblem::NoRoomLink);
    }
    Ok(())
}

/// `text` with each placeholder replaced by `value(placeholder)`. Text that is not a known
/// placeholder stays as written (a saved template has none).
pub fn render(text: &str, value: impl Fn(Placeholder) -> String) -> String {
    let mut out = text.to_string();
    for p in Placeholder::ALL {
        let tag = format!("{{{}}}", p.name());
        if out.contains(&tag) {
            out = out.replace(&tag, &value(p));
        }
    }
    out
}

/// How an SMS is counted: GSM-7 when every character is in the GSM alphabet, else UCS-2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsLength {
    /// Characters as the network counts them (GSM-7 extension characters count two).
    pub units: usize,
    pub segments: usize,
    pub unicode: bool,
}

const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// Segments: GSM-7 160 characters in one, 153 per part when longer; UCS-2 70, then 67.
pub fn sms_length(text: &str) -> SmsLength {
    let gsm = text
        .chars()
        .all(|c| GSM7.contains(c) || GSM7_EXTENSION.contains(c));
    let (units, single, part) = if gsm {
        let units = text
            .chars()
            .map(|c| if GSM7_EXTENSION.contains(c) { 2 } else { 1 })
            .sum();
        (units, 160, 153)
    } else {
        // UTF-16 code units: an emoji is two.
        (text.encode_utf16().count(), 70, 67)
    };
    let segments = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    SmsLength {
        units,
        segments,
        unicode: !gsm,
    }
}

/// "92 characters · 1 text" / "75 characters · 2 texts (Unicode: 67 per part)".
pub fn describe_length(n: SmsLength) -> String {
    let texts = if n.segments == 1 { "text" } else { "texts" };
    let how = match (n.unicode, n.segments > 1) {
        (false, false) => String::new(),
        (false, true) => " (153 characters per part)".into(),
        (true, false) => " (Unicode: up to 70 in one text)".into(),
        (true, true) => " (Unicode: 67 characters per part)".into(),
    };
    format!("{} characters · {} {texts}{how}", n.units, n.segments)
}

/// `text` filled with sample values: what /staff/templates shows, as it loads and as staff
/// type (`ui::enhance::checks`).
pub fn preview(text: &str, technician: &str, business: &str) -> String {
    render(text, |p| match p {
        Placeholder::TechnicianName => technician.to_string(),
        Placeholder::BusinessName => business.to_string(),
        p => p.sample().to_string(),
    })
}

/// One alert on one channel as /staff/templates shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateEntry {
    pub kind: AlertKind,
    pub channel: Channel,
    pub enabled: bool,
    pub subject: String,
    pub body: String,
    /// The business's own wording (false: the default).
    pub custom: bool,
}

impl TemplateEntry {
    /// The body with sample values, the business's own name, and `technician` for
    /// {technician_name}.
    pub fn preview(&self, technician: &str, business: &str) -> String {
        preview(&self.body, technician, business)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplatesView {
    pub entries: Vec<TemplateEntry>,
    /// Alerts name the technician ("Sam is on the way") or only the business.
    pub name_technician: bool,
    pub business_name: String,
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
