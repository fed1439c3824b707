//! Email over SMTP (lettre). `CR_SMTP_URL` says where and how:
//!
//! | URL                                   | connection                                  |
//! |---------------------------------------|---------------------------------------------|
//! | `smtp://user:pass@host:587`           | STARTTLS when the server offers it          |
//! | `smtp://user:pass@host:587?tls=required` | STARTTLS or no send                      |
//! | `smtps://user:pass@host:465`          | TLS from the first byte                     |
//! | `smtp://host:25?tls=none`             | plain, only for a relay on the same machine |
//!
//! User and password are percent-decoded (`p%40ss` is `p@ss`). `CR_SMTP_CA_FILE` adds a
//! certificate to trust (a private relay's own); certificates are always checked.
use super::{templates::email_html, Refused};
use crate::server::db::outbox::OutgoingMessage;
use lettre::{
    message::{Mailbox, MultiPart},
    transport::smtp::{
        authentication::Credentials,
        client::{Certificate, Tls, TlsParameters},
        PoolConfig,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use percent_encoding::percent_decode_str;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The sender's domain, for each message's stable `Message-ID`.
    domain: String,
}

/// How the connection is secured, from the URL's scheme and `tls` parameter.
#[derive(Debug, PartialEq)]
enum Security {
    Opportunistic,
    Required,
    Wrapper,
    None,
}

fn security(scheme: &str, tls: Option<&str>) -> Result<(Security, u16), String> {
    Ok(match (scheme, tls) {
        ("smtp", None | Some("opportunistic")) => (Security::Opportunistic, 587),
        ("smtp", Some("required")) => (Security::Required, 587),
        ("smtp", Some("none")) => (Security::None, 25),
        ("smtps", None | Some("required")) => (Security::Wrapper, 465),
        (scheme, tls) => {
            return Err(format!(
                "CR_SMTP_URL must start smtp:// or smtps://, with ?tls=required, opportunistic \
                 or none (got {scheme}://{})",
                tls.map(|t| format!("…?tls={t}")).unwrap_or_default()
            ))
        }
    })
}

fn decode(part: &str) -> String {
    percent_decode_str(part).decode_utf8_lossy().into_owned()
}

impl Mailer {
    /// Refuses a URL or sender it can't use, naming what is wrong but never the password.
    pub fn new(url: &str, from: &str, extra_ca_pem: Option<&[u8]>) -> Result<Self, String> {
        let url =
            url::Url::parse(url).map_err(|e| format!("CR_SMTP_URL is not a usable URL: {e}"))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("CR_SMTP_URL has no host")?
            .trim_matches(|c| c == '[' || c == ']')
            .to_string();
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let (security, default_port) = security(url.scheme(), tls.as_deref())?;
        let parameters = || -> Result<TlsParameters, String> {
            let mut b = TlsParameters::builder(host.clone());
            if let Some(pem) = extra_ca_pem {
                // lettre reads a file without any certificate in it as "none": say so.
                if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
                    return Err("CR_SMTP_CA_FILE holds no PEM certificate".into());
                }
                let cert = Certificate::from_pem(pem)
                    .map_err(|e| format!("CR_SMTP_CA_FILE is not a PEM certificate: {e}"))?;
                b = b.add_root_certificate(cert);
            }
            b.build().map_err(|e| format!("SMTP TLS settings: {e}"))
        };
        let tls = match security {
            Security::Opportunistic => Tls::Opportunistic(parameters()?),
            Security::Required => Tls::Required(parameters()?),
            Security::Wrapper => Tls::Wrapper(parameters()?),
            Security::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .port(url.port().unwrap_or(default_port))
            .tls(tls)
            .pool_config(PoolConfig::new().max_size(super::AT_ONCE as u32));
        if !url.username().is_empty() {
            builder = builder.credentials(Credentials::new(
                decode(url.username()),
                decode(url.password().unwrap_or("")),
            ));
        }
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("CR_MAIL_FROM is not an email address: {e}"))?;
        let domain = from.email.domain().to_string();
        Ok(Mailer {
            transport: builder.build(),
            from,
            domain,
        })
    }

    /// Sends one message with a plain-text and an HTML part. The same `Message-ID` on every
    /// try: a retry after a crash mid-send is the same message to the receiving mail
    /// system, not a second one.
    pub async fn send(&self, m: &OutgoingMessage) -> Result<(), Refused> {
        let email = Message::builder()
            .message_id(Some(format!("<{}@{}>", m.id, self.domain)))
            .from(self.from.clone())
            .to(m
                .recipient
                .parse()
                .map_err(|e| Refused::permanent(format!("recipient: {e}")))?)
            .subject(&m.subject)
            .multipart(MultiPart::alternative_plain_html(
                m.body.clone(),
                email_html(&m.subject, &m.body),
            ))
            .map_err(|e| Refused::permanent(e.to_string()))?;
        // A refusal, even a permanent one (a wrong password), is often fixed by a person:
        // the tries and their backoff leave time for that.
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| Refused::retry(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_url_form_picks_its_security_and_port() {
        assert_eq!(
            security("smtp", None).unwrap(),
            (Security::Opportunistic, 587)
        );
        assert_eq!(
            security("smtp", Some("required")).unwrap(),
            (Security::Required, 587)
        );
        assert_eq!(security("smtps", None).unwrap(), (Security::Wrapper, 465));
        assert_eq!(
            security("smtp", Some("none")).unwrap(),
            (Security::None, 25)
        );
        assert!(
            security("smtps", Some("none")).is_err(),
            "TLS can't be off on smtps"
        );
        assert!(security("http", None).unwrap_err().contains("smtp://"));
    }

    // The connection pool wants a runtime around it, even just to be dropped.
    #[tokio::test]
    async fn a_bad_url_or_sender_is_refused_without_echoing_the_password() {
        let from = "Room <room@example.com>";
        let e = Mailer::new("smtp://user:hunter2@", from, None)
            .err()
            .unwrap();
        assert!(!e.contains("hunter2"), "{e}");
        let e = Mailer::new(
            "smtp://user:hunter2@mail.example.com",
            "not an address",
            None,
        )
        .err()
        .unwrap();
        assert!(e.contains("CR_MAIL_FROM") && !e.contains("hunter2"), "{e}");
        let e = Mailer::new("smtp://mail.example.com", from, Some(b"not pem"))
            .err()
            .unwrap();
        assert!(e.contains("CR_SMTP_CA_FILE"), "{e}");
        assert!(Mailer::new("smtp://u:p%40ss@mail.example.com:2525", from, None).is_ok());
    }
}
