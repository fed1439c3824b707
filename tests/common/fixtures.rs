//! What tests build and check with: request bodies, a submitted request and another
//! customer's, denial assertions, room helpers, image bytes.
use super::*;

/// A multipart/form-data body of these parts, and its boundary.
pub fn multipart_body(parts: &[Part<'_>]) -> (&'static str, Vec<u8>) {
    let boundary = "----crtestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (boundary, body)
}

/// Form encoding as a browser does it: everything but the unreserved characters escaped.
pub fn urlencode(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, ESCAPED).to_string()
}

/// The room link (path only) inside a message body.
pub fn link_path(body: &str) -> String {
    let start = body.find("/r/").expect("message has a room link");
    body[start..].split_whitespace().next().unwrap().to_string()
}

/// The token of a staff set-password link (`…/staff/reset/<token>`) inside a text.
pub fn link_token(text: &str) -> String {
    let start = text.find("/staff/reset/").expect("a set-password link") + "/staff/reset/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A valid form, as a customer would fill it in.
pub fn form_fields<'a>(key: &'a str, email: &'a str) -> Vec<Part<'a>> {
    vec![
        Part::Text("idempotency_key", key),
        Part::Text("first_name", "Jo"),
        Part::Text("last_name", "Citizen"),
        Part::Text("email", email),
        Part::Text("phone", "0412 345 678"),
        Part::Text("address_line", "1 George St"),
        Part::Text("suburb", "Sydney"),
        Part::Text("state", "NSW"),
        Part::Text("postcode", "2000"),
        Part::Text("service_type", "Plumbing"),
        Part::Text("preferred_date", ""),
        Part::Text("preferred_window", "morning"),
        Part::Text("notes", "Kitchen tap drips all night"),
    ]
}

pub fn replace_field<'a>(mut parts: Vec<Part<'a>>, name: &str, value: &'a str) -> Vec<Part<'a>> {
    for p in parts.iter_mut() {
        if let Part::Text(n, v) = p {
            if *n == name {
                *v = value;
            }
        }
    }
    parts
}

/// Customer session cookie over plain http (tests); `__Host-cr_room` under https.
pub const ROOM_COOKIE: &str = "cr_room";
/// Staff session cookie over plain http (tests); `__Host-cr_staff` under https.
pub const STAFF_COOKIE: &str = "cr_staff";

pub struct Submitted {
    pub reference: String,
    /// Cookie of the browser that sent the form (sees only this request).
    pub sender_cookie: String,
}

/// Sends a valid request and returns its reference.
pub async fn submit_request(app: &TestApp, email: &str, extra: Vec<Part<'_>>) -> Submitted {
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, email);
    parts.extend(extra);
    let res = app.multipart("/requests", &parts, None, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().unwrap();
    assert!(location.starts_with("/submitted/CR-"), "{location}");
    Submitted {
        reference: location.trim_start_matches("/submitted/").to_string(),
        sender_cookie: res
            .cookie(ROOM_COOKIE)
            .or_else(|| res.cookie("__Host-cr_room"))
            .expect("session cookie"),
    }
}

/// Another customer's request, with details of its own (name, phone, address, notes), so a
/// denial can be checked for every one of them: see [`assert_denied`].
pub struct OtherRequest {
    pub sent: Submitted,
    pub email: String,
}

pub const OTHER_FIRST_NAME: &str = "Marguerite";
pub const OTHER_LAST_NAME: &str = "Quinlivan";
pub const OTHER_PHONE: &str = "0498 765 432";
pub const OTHER_PHONE_E164: &str = "+61498765432";
pub const OTHER_ADDRESS: &str = "77 Wattle Grove";
pub const OTHER_SUBURB: &str = "Katoomba";
pub const OTHER_NOTES: &str = "Side gate code 4471, dog is friendly";

pub async fn submit_other_request(
    app: &TestApp,
    email: &str,
    extra: Vec<Part<'_>>,
) -> OtherRequest {
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, email);
    for (name, value) in [
        ("first_name", OTHER_FIRST_NAME),
        ("last_name", OTHER_LAST_NAME),
        ("phone", OTHER_PHONE),
        ("address_line", OTHER_ADDRESS),
        ("suburb", OTHER_SUBURB),
        ("postcode", "2780"),
        ("notes", OTHER_NOTES),
    ] {
        parts = replace_field(parts, name, value);
    }
    parts.extend(extra);
    let res = app.multipart("/requests", &parts, None, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().unwrap();
    OtherRequest {
        sent: Submitted {
            reference: location.trim_start_matches("/submitted/").to_string(),
            sender_cookie: res.cookie(ROOM_COOKIE).expect("session cookie"),
        },
        email: email.to_string(),
    }
}

impl OtherRequest {
    pub fn reference(&self) -> &str {
        &self.sent.reference
    }
    /// Everything a denial must not give away about this request.
    pub fn secrets(&self) -> Vec<&str> {
        vec![
            &self.sent.reference,
            &self.email,
            OTHER_FIRST_NAME,
            OTHER_LAST_NAME,
            OTHER_PHONE,
            OTHER_PHONE_E164,
            OTHER_ADDRESS,
            OTHER_SUBURB,
            OTHER_NOTES,
        ]
    }
}

/// What a request made with [`form_fields`] must not give away to someone refused it.
pub fn default_secrets<'a>(reference: &'a str, email: &'a str) -> Vec<&'a str> {
    vec![
        reference,
        email,
        "Citizen",
        "1 George St",
        "0412 345 678",
        "+61412345678",
        "Kitchen tap drips all night",
    ]
}

/// A refusal: exactly this status, and none of `secrets` anywhere in the answer.
#[track_caller]
pub fn assert_denied(res: &TestResponse, status: StatusCode, secrets: &[&str], what: &str) {
    assert_eq!(res.status, status, "{what}: {}", res.body);
    for s in secrets {
        assert!(!s.is_empty());
        assert!(
            !res.body.contains(s),
            "{what}: the refusal gives away {s:?}: {}",
            res.body
        );
        for (name, value) in &res.headers {
            let value = value.to_str().unwrap_or("");
            assert!(!value.contains(s), "{what}: header {name} gives away {s:?}");
        }
    }
}

/// A refused page at an address that names `reference`: as [`assert_denied`], except that
/// the address itself may come back — in the page title and in the cookie that remembers
/// the page for no-JS form posts (both do so for references that don't exist too, so they
/// confirm nothing).
#[track_caller]
pub fn assert_page_denied(
    res: &TestResponse,
    status: StatusCode,
    secrets: &[&str],
    reference: &str,
    what: &str,
) {
    let echo = format!("<title>Request {reference}</title>");
    let address = format!("/room/{reference}");
    let mut headers = res.headers.clone();
    for value in headers.values_mut() {
        let text = value.to_str().unwrap_or("").replace(&address, "/room/REF");
        *value = axum::http::HeaderValue::from_str(&text).unwrap();
    }
    let rest = TestResponse {
        status: res.status,
        headers,
        body: res.body.replacen(&echo, "<title>Request</title>", 1),
    };
    assert_denied(&rest, status, secrets, what);
}

/// Opens the newest room link sent to `email` and returns the session cookie it gives.
pub async fn open_latest_link(app: &TestApp, email: &str) -> (TestResponse, Option<String>) {
    let messages = app.outbox_for(email).await;
    let path = link_path(&messages.first().expect("a message was sent").2);
    let res = app.get(&path, None).await;
    let cookie = res.cookie(ROOM_COOKIE);
    (res, cookie)
}

pub fn jpeg_bytes(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

pub fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 200, 30, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A PNG whose header claims 20000×20000 pixels (a decompression bomb's calling card).
pub fn huge_png_header() -> Vec<u8> {
    let mut bytes = png_bytes(1, 1);
    bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Creates an office staff member and signs them in; returns the staff cookie.
pub async fn staff_cookie(app: &TestApp) -> String {
    use customer_room::{
        model::staff::StaffRole,
        server::{auth::passwords, db},
    };
    let hash = passwords::hash("correct horse battery".into())
        .await
        .unwrap();
    db::staff::upsert(
        &app.state.pool,
        "office@example.com",
        "Sam Office",
        StaffRole::Office,
        &hash,
    )
    .await
    .unwrap();
    let res = app
        .call(
            "staff_sign_in",
            &[
                ("email", "office@example.com"),
                ("password", "correct horse battery"),
            ],
            None,
        )
        .await;
    res.cookie(STAFF_COOKIE).expect("staff signed in")
}

/// The room as the customer with `cookie` sees it (must be allowed).
pub async fn room_view(
    app: &TestApp,
    reference: &str,
    cookie: &str,
) -> customer_room::model::room::RoomView {
    let res = app
        .call("room", &[("reference", reference)], Some(cookie))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

/// A customer with a request, signed in from their emailed link: (reference, cookie).
pub async fn signed_in_customer(app: &TestApp, email: &str) -> (String, String) {
    let sent = submit_request(app, email, vec![]).await;
    let (_, cookie) = open_latest_link(app, email).await;
    (sent.reference, cookie.unwrap())
}

/// The customer card a request belongs to.
pub async fn customer_of(app: &TestApp, reference: &str) -> Uuid {
    sqlx::query_scalar("SELECT customer_id FROM requests WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
}
