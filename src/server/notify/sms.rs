//! SMS through an HTTP API in the shape of Twilio's Messages API (`CR_SMS_API_URL`,
//! `CR_SMS_ACCOUNT_SID`, `CR_SMS_AUTH_TOKEN`, `CR_SMS_FROM`), so any compatible provider
//! works: `POST {api}/2010-04-01/Accounts/{sid}/Messages.json` with basic auth and a form
//! of To, From, Body and StatusCallback; the answer's `sid` names the message in the
//! provider's delivery callbacks (`webhook.rs`), and its signatures use the same token.
use super::Refused;
use crate::server::{config::SmsSettings, db::outbox::OutgoingMessage};
use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub struct SmsApi {
    client: reqwest::Client,
    messages_url: String,
    account_sid: String,
    auth_token: SecretString,
    from: String,
    status_callback: String,
}

/// Where the provider reports each text's delivery.
pub const STATUS_PATH: &str = "/webhooks/sms/status";

impl SmsApi {
    pub fn new(settings: &SmsSettings, public_url: &str) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| format!("SMS client: {e}"))?;
        Ok(SmsApi {
            client,
            messages_url: format!(
                "{}/2010-04-01/Accounts/{}/Messages.json",
                settings.api_url, settings.account_sid
            ),
            account_sid: settings.account_sid.clone(),
            auth_token: settings.auth_token.clone(),
            from: settings.from.clone(),
            status_callback: format!("{public_url}{STATUS_PATH}"),
        })
    }

    /// Sends one text; `Ok` is the provider's id for it. The outbox id travels as the
    /// idempotency key, so a retry after a crash mid-send is not a second text. A refusal
    /// the provider will always give (a number it can't text) is final; anything else is
    /// tried again later.
    pub async fn send(&self, m: &OutgoingMessage) -> Result<String, Refused> {
        let key = m.id.to_string();
        let res = self
            .client
            .post(&self.messages_url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .header("I-Twilio-Idempotency-Token", &key)
            .header("Idempotency-Key", &key)
            .form(&[
                ("To", m.recipient.as_str()),
                ("From", self.from.as_str()),
                ("Body", m.body.as_str()),
                ("StatusCallback", self.status_callback.as_str()),
            ])
            .send()
            .await
            // Without the URL: it names the account, and errors are shown on /staff/outbox.
            .map_err(|e| Refused::retry(format!("SMS API unreachable: {}", e.without_url())))?;
        let status = res.status();
        let body = res.bytes().await.unwrap_or_default();
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if status.is_success() {
            return answer["sid"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| Refused::retry("SMS API answered without a message id".into()));
        }
        let error = format!(
            "SMS API {}: {} (code {})",
            status.as_u16(),
            answer["message"].as_str().unwrap_or("no message"),
            answer["code"]
        );
        Err(match status.as_u16() {
            400 | 404 | 422 => Refused::permanent(error),
            _ => Refused::retry(error),
        })
    }

    pub fn auth_token(&self) -> &SecretString {
        &self.auth_token
    }
}

/// Twilio's request signature: HMAC-SHA1, keyed with the auth token, over the full URL it
/// called followed by each form field's name and value, sorted by name (then value).
fn mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Hmac<sha1::Sha1> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut mac =
        Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key");
    mac.update(url.as_bytes());
    for (k, v) in sorted {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac
}

/// The signature header value (base64) for a request: what a provider sends, what the
/// tests sign with.
pub fn signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let bytes = mac(auth_token, url, params).finalize().into_bytes();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Whether `header` is the provider's signature for this request (compared in constant time).
pub fn signed(auth_token: &str, url: &str, params: &[(String, String)], header: &str) -> bool {
    match base64::engine::general_purpose::STANDARD.decode(header.trim()) {
        Ok(given) => mac(auth_token, url, params).verify_slice(&given).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_twilios_documented_example() {
        // The vector in Twilio's docs and its own libraries' tests (twilio-php's
        // RequestValidatorTest): an independent check of the scheme, not of ourselves.
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let params: Vec<(String, String)> = [
            ("Digits", "1234"),
            ("To", "+18005551212"),
            ("From", "+14158675309"),
            ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sig = signature("12345", url, &params);
        assert_eq!(sig, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(signed("12345", url, &params, &sig));
        assert!(!signed("12345", url, &params[1..], &sig), "a field dropped");
        assert!(!signed("other", url, &params, &sig), "another token");
        assert!(!signed("12345", url, &params, "not base64!"));
    }
}
