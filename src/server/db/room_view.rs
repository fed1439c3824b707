//! Everything a customer's room shows, in one round trip: the request and its room state,
//! its files, the journey's first events, the updates, the thread, the latest sent quote and
//! who can open it — and whether the reader may see it at all, decided in the same query.
use super::{
    attachments::{info, InfoRow},
    requests::request_detail,
    room::{RoomJob, RoomState},
};
use crate::model::{
    job::JobStatus,
    request::RequestDetail,
    room::{Quote, QuoteLine, QuoteStatus, ThreadMessage},
    status::RequestStatus,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

/// Who reads the room. The query applies the customer access rule itself (the same rule as
/// `requests::customer_may_access`): a session scoped to the request, or one for a contact
/// given on it. Staff sessions open every request.
#[derive(Default)]
pub struct Reader<'a> {
    pub staff: bool,
    pub contact: Option<&'a str>,
    pub scoped: Option<Uuid>,
    /// The asking browser's customer session, to mark "This device".
    pub session: Option<&'a [u8]>,
}

pub struct RoomRead {
    /// The customer rule let this reader in (otherwise only its staff session did).
    pub as_customer: bool,
    /// `requests.view_version` as of this read (the same snapshot as everything else in it).
    pub view_version: i64,
    pub request: RequestDetail,
    pub state: RoomState,
    /// Each customer-visible event kind with the first time it happened.
    pub first_events: Vec<(String, DateTime<Utc>)>,
    /// Customer-visible events, newest first.
    pub updates: Vec<(String, DateTime<Utc>)>,
    /// Oldest first, as a thread reads.
    pub messages: Vec<ThreadMessage>,
    pub quote: Option<Quote>,
    /// Customer sessions that can open the request, most recently used first.
    pub sessions: Vec<SeenSession>,
    /// Room links that still work, newest first.
    pub links: Vec<LiveLink>,
    /// The request's number replied STOP (or turned texts off in the room).
    pub texts_off: bool,
    pub proof: Option<super::proof::ProofRow>,
    /// How many pieces of private feedback the request has sent.
    pub feedback_sent: i64,
}

#[derive(Debug, Deserialize)]
pub struct SeenSession {
    pub public_id: Uuid,
    pub this_device: bool,
    /// `None`: started by sending the form in this browser.
    pub contact: Option<String>,
    pub device: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct LiveLink {
    pub public_id: Uuid,
    pub contact: Option<String>,
    pub created_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct EventAt {
    kind: String,
    at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct Update {
    body: String,
    at: DateTime<Utc>,
}

/// The one row the room query returns, column for column.
struct RoomRow {
    as_customer: bool,
    view_version: i64,
    id: Uuid,
    reference: String,
    status: RequestStatus,
    first_name: String,
    last_name: String,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    address_line: String,
    suburb: String,
    state: String,
    postcode: String,
    service_type: String,
    preferred_date: Option<NaiveDate>,
    preferred_window: String,
    notes: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    urgent: bool,
    urgent_at: Option<DateTime<Utc>>,
    callback_window: Option<String>,
    ask_kind: Option<String>,
    ask_text: Option<String>,
    ask_at: Option<DateTime<Utc>>,
    customer_reason: Option<String>,
    job_starts_at: Option<DateTime<Utc>>,
    job_ends_at: Option<DateTime<Utc>>,
    job_status: Option<JobStatus>,
    job_technician: Option<String>,
    quote_id: Option<Uuid>,
    quote_version: Option<i32>,
    quote_status: Option<QuoteStatus>,
    quote_lines: Option<Json<Vec<QuoteLine>>>,
    quote_tax_rate_bp: Option<i32>,
    quote_valid_until: Option<NaiveDate>,
    quote_notes: Option<String>,
    quote_sent_at: Option<DateTime<Utc>>,
    quote_decided_at: Option<DateTime<Utc>>,
    quote_decision_name: Option<String>,
    quote_decision_reason: Option<String>,
    attachments: Json<Vec<InfoRow>>,
    first_events: Json<Vec<EventAt>>,
    updates: Json<Vec<Update>>,
    messages: Json<Vec<ThreadMessage>>,
    sessions: Json<Vec<SeenSession>>,
    links: Json<Vec<LiveLink>>,
    texts_off: bool,
    proof: Option<Json<super::proof::ProofRow>>,
    feedback_sent: i64,
}

/// The room behind `reference` if `reader` may open it. The session and link rules are the
/// ones `db::devices` writes out for ending them; change one, change them all.
pub async fn read(
    pool: &PgPool,
    reference: &str,
    reader: &Reader<'_>,
    link_max_age: Duration,
) -> Result<Option<RoomRead>, sqlx::Error> {
    let row = sqlx::query_as!(
        RoomRow,
        r#"SELECT COALESCE(r.id = $2 OR ($3::text IS NOT NULL AND $3 IN (r.contact_email, r.contact_phone)), false)
                AS "as_customer!",
            r.view_version, r.id, r.reference, r.status AS "status: RequestStatus", r.first_name, r.last_name,
            r.contact_email, r.contact_phone, r.address_line, r.suburb, r.state, r.postcode,
            r.service_type, r.preferred_date, r.preferred_window, r.notes, r.created_at, r.updated_at,
            r.urgent, r.urgent_at, r.callback_window, r.ask_kind, r.ask_text, r.ask_at, r.customer_reason,
            jb.starts_at AS "job_starts_at?", jb.ends_at AS "job_ends_at?",
            jb.status AS "job_status?: JobStatus", jb.technician AS "job_technician?",
            q.id AS "quote_id?", q.version AS "quote_version?", q.status AS "quote_status?: QuoteStatus",
            q.lines AS "quote_lines?: Json<Vec<QuoteLine>>", q.tax_rate_bp AS "quote_tax_rate_bp?",
            q.valid_until AS "quote_valid_until?", q.notes AS "quote_notes?", q.sent_at AS "quote_sent_at?",
            q.decided_at AS "quote_decided_at?", q.decision_name AS "quote_decision_name?",
            q.decision_reason AS "quote_decision_reason?",
            COALESCE((SELECT json_agg(json_build_object('id', a.id, 'file_name', a.file_name,
                    'kind', a.kind, 'byte_size', a.byte_size, 'caption', a.caption,
                    'created_at', a.created_at) ORDER BY a.created_at)
                FROM attachments a WHERE a.request_id = r.id), '[]') AS "attachments!: Json<Vec<InfoRow>>",
            COALESCE((SELECT json_agg(json_build_object('kind', k.kind, 'at', k.at))
                FROM (SELECT kind, min(created_at) AS at FROM request_events
                      WHERE request_id = r.id AND visible_to_customer GROUP BY kind) k), '[]')
                AS "first_events!: Json<Vec<EventAt>>",
            COALESCE((SELECT json_agg(json_build_object('body', e.body, 'at', e.created_at)
                    ORDER BY e.created_at DESC)
                FROM request_events e WHERE e.request_id = r.id AND e.visible_to_customer), '[]')
                AS "updates!: Json<Vec<Update>>",
            COALESCE((SELECT json_agg(json_build_object('id', m.id, 'from_staff', m.sender = 'staff',
                    'author', m.author, 'body', m.body, 'topic', m.topic, 'by_text', m.channel = 'sms',
                    'quote_version', m.quote_version, 'at', m.created_at)
                    ORDER BY m.created_at, m.id)
                FROM messages m WHERE m.request_id = r.id), '[]') AS "messages!: Json<Vec<ThreadMessage>>",
            COALESCE((SELECT json_agg(json_build_object('public_id', s.public_id,
                    'this_device', COALESCE(s.id_hash = $4, false), 'contact', s.contact,
                    'device', s.device, 'created_at', s.created_at, 'last_seen_at', s.last_seen_at)
                    ORDER BY s.last_seen_at DESC)
                FROM sessions s WHERE s.kind = 'customer' AND s.expires_at > now()
                  AND (s.request_id = r.id OR (s.contact IS NOT NULL AND s.contact IN (r.contact_email, r.contact_phone)))),
                '[]') AS "sessions!: Json<Vec<SeenSession>>",
            COALESCE((SELECT json_agg(json_build_object('public_id', t.public_id, 'contact', t.contact,
                    'created_at', t.created_at, 'used_at', t.used_at) ORDER BY t.created_at DESC)
                FROM access_tokens t WHERE t.purpose = 'room'
                  AND (t.request_id = r.id OR t.contact IN (r.contact_email, r.contact_phone))
                  AND t.expires_at > now() AND t.created_at > now() - make_interval(secs => $5)),
                '[]') AS "links!: Json<Vec<LiveLink>>",
            COALESCE((SELECT c.opted_out FROM sms_consent c WHERE c.phone = r.contact_phone), false)
                AS "texts_off!",
            (SELECT json_build_object('customer_words', p.customer_words, 'wording', p.wording,
                    'revision', p.revision, 'customer_approved', p.customer_approved,
                    'published_at', p.published_at, 'withdrawn_by', p.withdrawn_by,
                    'attribution', p.attribution)
                FROM proofs p WHERE p.request_id = r.id) AS "proof?: Json<super::proof::ProofRow>",
            (SELECT count(*) FROM feedback f WHERE f.request_id = r.id) AS "feedback_sent!"
         FROM requests r
         LEFT JOIN LATERAL (
            SELECT id, version, status, lines, tax_rate_bp, valid_until, notes, sent_at, decided_at,
                decision_name, decision_reason
            FROM quotes WHERE request_id = r.id AND status <> 'draft' ORDER BY version DESC LIMIT 1
         ) q ON TRUE
         LEFT JOIN LATERAL (
            SELECT j.starts_at, j.ends_at, j.status, s.display_name AS technician
            FROM jobs j JOIN staff s ON s.id = j.technician_id
            WHERE j.request_id = r.id AND j.status <> 'cancelled' ORDER BY j.created_at DESC LIMIT 1
         ) jb ON TRUE
         WHERE r.reference = $1
           AND ($6 OR r.id = $2 OR ($3::text IS NOT NULL AND $3 IN (r.contact_email, r.contact_phone)))"#,
        reference,
        reader.scoped,
        reader.contact,
        reader.session,
        link_max_age.num_seconds() as f64,
        reader.staff,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(assemble))
}

fn assemble(r: RoomRow) -> RoomRead {
    let quote = match (r.quote_id, r.quote_version, r.quote_status, r.quote_lines) {
        (Some(id), Some(version), Some(status), Some(lines)) => Some(Quote {
            id,
            version,
            status,
            lines: lines.0,
            tax_rate_bp: r.quote_tax_rate_bp.unwrap_or_default(),
            valid_until: r.quote_valid_until.unwrap_or_default(),
            notes: r.quote_notes.unwrap_or_default(),
            sent_at: r.quote_sent_at,
            decided_at: r.quote_decided_at,
            decision_name: r.quote_decision_name,
            decision_reason: r.quote_decision_reason,
        }),
        _ => None,
    };
    RoomRead {
        as_customer: r.as_customer,
        view_version: r.view_version,
        request: request_detail!(r, r.attachments.0.into_iter().map(info).collect()),
        state: RoomState {
            urgent: r.urgent,
            urgent_at: r.urgent_at,
            callback_window: r.callback_window,
            ask_kind: r.ask_kind,
            ask_text: r.ask_text,
            ask_at: r.ask_at,
            customer_reason: r.customer_reason,
            job: match (
                r.job_starts_at,
                r.job_ends_at,
                r.job_status,
                r.job_technician,
            ) {
                (Some(starts_at), Some(ends_at), Some(status), Some(technician_name)) => {
                    Some(RoomJob {
                        starts_at,
                        ends_at,
                        status,
                        technician_name,
                    })
                }
                _ => None,
            },
        },
        first_events: r
            .first_events
            .0
            .into_iter()
            .map(|e| (e.kind, e.at))
            .collect(),
        updates: r.updates.0.into_iter().map(|u| (u.body, u.at)).collect(),
        messages: r.messages.0,
        quote,
        texts_off: r.texts_off,
        proof: r.proof.map(|p| p.0),
        feedback_sent: r.feedback_sent,
        sessions: r.sessions.0,
        links: r.links.0,
    }
}
