//! Binding a form's submit key to the browser the form was served to.
//!
//! The key in the form's hidden field is readable by anyone who sees the page or replays the
//! post, so it only de-duplicates. What proves "this is the browser that sent it" is a random
//! secret in an HttpOnly cookie set when the form is served; a request keeps only its SHA-256.
use crate::server::auth::{session, tokens};
use axum::http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A week: longer than anyone keeps a form open, refreshed each time the form is served.
const FORM_COOKIE_MAX_AGE: i64 = 7 * 86_400;

/// `__Host-cr_form` (Secure, whole site, no Domain) over https, `cr_form` otherwise.
/// The form cookie's base name; `session::cookie_name` adds `__Host-` over https.
const FORM_COOKIE: &str = "cr_form";

fn presented_secret(headers: &HeaderMap, https: bool) -> Option<String> {
    // Exactly the name this deployment sets: over https a plain `cr_form` could have been
    // planted by another host, and a planted secret would let its planter replay the submit.
    session::cookie_value(headers, FORM_COOKIE, https)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The Set-Cookie for a served form: this browser keeps its secret if it already has one
/// (so two open tabs both work), otherwise it gets a fresh 256-bit one.
pub fn form_cookie(headers: &HeaderMap, https: bool) -> HeaderValue {
    let secret = presented_secret(headers, https).unwrap_or_else(|| tokens::new_token().0);
    session::cookie_header(FORM_COOKIE, &secret, FORM_COOKIE_MAX_AGE, https)
}

/// The browser sending a form, as far as its form cookie tells.
#[derive(Clone, Debug, Default)]
pub struct FormBrowser {
    secret_hash: Option<Vec<u8>>,
}

impl FormBrowser {
    pub fn from_headers(headers: &HeaderMap, https: bool) -> Self {
        FormBrowser {
            secret_hash: presented_secret(headers, https).map(|s| tokens::hash_token(&s)),
        }
    }

    /// What a new request stores about its sender.
    pub fn secret_hash(&self) -> Option<&[u8]> {
        self.secret_hash.as_deref()
    }

    /// THE rule for a repeated submit: only the browser whose form cookie matches the one
    /// stored with the first submit is "the same browser". No cookie on either side: nobody is.
    pub fn sent(&self, stored: Option<&[u8]>) -> bool {
        match (stored, self.secret_hash.as_deref()) {
            (Some(a), Some(b)) => constant_time_eq(a, b),
            _ => false,
        }
    }

    /// Typed values and files kept for a form with errors belong to this key *in this
    /// browser*: another browser replaying the key finds a different, empty draft.
    pub fn draft_id(&self, key: Uuid) -> Uuid {
        let Some(hash) = &self.secret_hash else {
            return key;
        };
        let mut h = Sha256::new();
        h.update(b"cr-draft");
        h.update(key.as_bytes());
        h.update(hash);
        let digest = h.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn only_the_same_cookie_counts_as_the_same_browser() {
        let secret = "ab".repeat(32);
        let first = FormBrowser::from_headers(&with_cookie(&format!("cr_form={secret}")), false);
        let stored = first.secret_hash().map(<[u8]>::to_vec);
        assert!(first.sent(stored.as_deref()));
        let other =
            FormBrowser::from_headers(&with_cookie(&format!("cr_form={}", "cd".repeat(32))), false);
        assert!(!other.sent(stored.as_deref()));
        assert!(!FormBrowser::default().sent(stored.as_deref()));
        assert!(!FormBrowser::default().sent(None), "no cookie is nobody");
        let key = Uuid::new_v4();
        assert_ne!(first.draft_id(key), other.draft_id(key));
        assert_eq!(first.draft_id(key), first.draft_id(key));
    }

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_over_https() {
        let c = form_cookie(&HeaderMap::new(), true);
        let c = c.to_str().unwrap();
        assert!(c.starts_with("__Host-cr_form="), "{c}");
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(c.contains("Path=/") && !c.contains("Domain"));
        // Over https a plain-named cookie (which another host could plant) is not the form's.
        let planted = with_cookie(&format!("cr_form={}", "ab".repeat(32)));
        assert!(!FormBrowser::from_headers(&planted, true)
            .sent(Some(&tokens::hash_token(&"ab".repeat(32)))));
    }
}
