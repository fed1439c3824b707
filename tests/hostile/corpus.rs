//! The corpus of bad values and bodies.
use super::*;

// ---------------------------------------------------------------------------------------
// The corpus.

#[derive(Clone)]
pub(crate) enum Bad {
    /// A value, encoded properly.
    Text(String),
    /// Bytes put into the body as they are (broken encodings).
    Raw(Vec<u8>),
    /// `name[x]=1`: a map where a string belongs.
    Nested,
    /// The argument left out.
    Missing,
}

pub(crate) fn corpus() -> Vec<(&'static str, Bad)> {
    let t = |s: &str| Bad::Text(s.to_string());
    vec![
        ("nul", t("a\0b")),
        ("only_nul", t("\0")),
        ("control", t("a\u{1}\u{7}\u{1b}[31m\u{7f}b")),
        ("crlf", t("a\r\nSet-Cookie: x=1")),
        ("bidi", t("abc\u{202E}fed")),
        ("zero_width", t("a\u{200B}b\u{FEFF}c\u{2060}")),
        ("big_200kb", Bad::Text("x".repeat(200 * 1024))),
        ("big_unicode", Bad::Text("é".repeat(50 * 1024))),
        ("lone_surrogate_escape", t("\\ud800")),
        ("json_lone_surrogate", t("\"\\udc00\"")),
        ("surrogate_bytes", Bad::Raw(b"%ED%A0%80".to_vec())),
        ("broken_percent", Bad::Raw(b"%ZZ%4".to_vec())),
        ("invalid_utf8_escaped", Bad::Raw(b"%FF%FE%C0%AF".to_vec())),
        ("invalid_utf8_raw", Bad::Raw(vec![0xff, 0xfe, 0xc0, 0xaf])),
        ("wrong_type_map", Bad::Nested),
        ("missing", Bad::Missing),
        ("empty", t("")),
        ("whitespace", t(" \t\n ")),
        ("nan", t("NaN")),
        ("inf", t("inf")),
        ("neg_inf", t("-inf")),
        ("1e309", t("1e309")),
        ("minus_one", t("-1")),
        ("i64_overflow", t("9223372036854775808")),
        ("i64_underflow", t("-9223372036854775809")),
        (
            "u128_overflow",
            t("340282366920938463463374607431768211456"),
        ),
        ("html", t("<script>alert(1)</script>")),
        ("sql", t("' OR 1=1; --")),
        ("path", t("../../../etc/passwd")),
        ("bad_uuid", t("00000000-0000-0000-0000-00000000000g")),
    ]
}

/// Whole-body cases: not one argument but the request as a whole is broken.
pub(crate) fn body_cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    vec![
        ("empty_body", form, vec![]),
        ("broken_percent_body", form, b"%%%ZZ&=&&==%".to_vec()),
        ("invalid_utf8_body", form, vec![0xff, 0xfe, b'=', 0x80]),
        (
            "json_surrogate",
            "application/json",
            br#"{"reference":"\ud800","body":"\udfff"}"#.to_vec(),
        ),
        (
            "json_broken",
            "application/json",
            b"{\"reference\":".to_vec(),
        ),
        ("wrong_content_type", "text/plain", b"hello".to_vec()),
        (
            "multipart_no_boundary",
            "multipart/form-data",
            b"--x\r\n".to_vec(),
        ),
        (
            "multipart_truncated",
            "multipart/form-data; boundary=XYZ",
            b"--XYZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc".to_vec(),
        ),
    ]
}

/// The cases also sent as a no-JS form post and to every field of the plain routes (whose
/// field list is every name the app uses, so the full corpus there would be slow).
pub(crate) fn compact(case: &str) -> bool {
    matches!(
        case,
        "nul"
            | "bidi"
            | "big_200kb"
            | "broken_percent"
            | "invalid_utf8_raw"
            | "wrong_type_map"
            | "missing"
    )
}

pub(crate) fn plausible(name: &str, reference: &str) -> String {
    match name {
        "reference" => reference.to_string(),
        "email" | "contact" => "someone@example.com".into(),
        "idempotency_key" | "client_key" => uuid::Uuid::new_v4().to_string(),
        _ => "x".into(),
    }
}

pub(crate) fn urlencoded_body(
    ep: &Endpoint,
    target: Option<(&str, &Bad)>,
    reference: &str,
) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = vec![];
    for (name, _) in &ep.args {
        let value = match target {
            Some((t, bad)) if t == name => bad,
            _ => {
                parts.push(
                    format!("{name}={}", urlencode(&plausible(name, reference))).into_bytes(),
                );
                continue;
            }
        };
        match value {
            Bad::Text(s) => parts.push(format!("{name}={}", urlencode(s)).into_bytes()),
            Bad::Raw(b) => {
                let mut p = format!("{name}=").into_bytes();
                p.extend_from_slice(b);
                parts.push(p);
            }
            Bad::Nested => parts.push(format!("{name}%5Bx%5D=1&{name}%5By%5D=2").into_bytes()),
            Bad::Missing => {}
        }
    }
    if target.is_none() {
        parts.push(b"unknown_field=1".to_vec());
    }
    parts.join(&b'&')
}

pub(crate) fn hostile_multipart_body(
    ep: &Endpoint,
    target: (&str, &Bad),
    reference: &str,
) -> Vec<u8> {
    let boundary = "----crhostileboundary";
    let mut body = vec![];
    // A plain route reads only its own fields, so the request form's valid fields come first
    // and the hostile one replaces its namesake.
    let key = uuid::Uuid::new_v4().to_string();
    let valid: Vec<(String, String)> = form_fields(&key, "hostile@example.com")
        .into_iter()
        .filter_map(|p| match p {
            Part::Text(n, v) => Some((n.to_string(), v.to_string())),
            Part::File(..) => None,
        })
        .collect();
    let (t, bad) = target;
    if t == "*" {
        // Every name the app uses, all carrying the bad value at once.
        for (n, _) in &ep.args {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n")
                    .as_bytes(),
            );
            if let Bad::Text(v) = bad {
                body.extend_from_slice(v.as_bytes());
            } else if let Bad::Raw(v) = bad {
                body.extend_from_slice(v);
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        return body;
    }
    for (n, v) in valid.iter().filter(|(n, _)| n != t) {
        let v = if n == "reference" { reference } else { v };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    let value: Option<Vec<u8>> = match bad {
        Bad::Text(s) => Some(s.as_bytes().to_vec()),
        Bad::Raw(b) => Some(b.clone()),
        Bad::Nested => Some(b"[object Object]".to_vec()),
        Bad::Missing => None,
    };
    if let Some(v) = value {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{t}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&v);
        body.extend_from_slice(b"\r\n");
        // The same value as a file name, where names are taken from the browser.
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"")
                .as_bytes(),
        );
        body.extend_from_slice(&v[..v.len().min(300)]);
        body.extend_from_slice(b"\"\r\nContent-Type: image/jpeg\r\n\r\nnot really a jpeg\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}
