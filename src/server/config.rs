//! Configuration, read once from the environment at start-up.
use secrecy::SecretString;
use std::{net::SocketAddr, path::PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: SecretString,
    pub listen: SocketAddr,
    /// Base of every link we send, e.g. `https://room.example.com`.
    pub public_url: String,
    pub data_dir: PathBuf,
    /// `s3://bucket[/prefix]` for an S3-compatible store (`AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ALLOW_HTTP`); unset: `data_dir/files`.
    pub storage_url: Option<String>,
    pub business_name: String,
    pub business_phone: String,
    /// Default region for phone numbers without a country code (ISO 3166 alpha-2).
    pub region: phonenumber::country::Id,
    pub service_types: Vec<String>,
    pub seed_demo: bool,
    /// `smtp://user:pass@host:port`; with none, messages are written to the log.
    pub smtp_url: Option<SecretString>,
    /// `CR_SMTP_CA_FILE`: a PEM certificate to trust besides the usual roots (a private
    /// relay's own certificate).
    pub smtp_ca_file: Option<PathBuf>,
    pub mail_from: String,
    /// SMS through an HTTP API shaped like Twilio's Messages API; `None` logs texts.
    pub sms: Option<SmsSettings>,
    pub max_upload_mb: usize,
    /// The business's own payment page, if any: the room links to it and never takes payment.
    pub payment_url: Option<String>,
    /// GST in basis points (1000 = 10%).
    pub tax_rate_bp: i32,
    /// Proxies whose `X-Forwarded-For` is believed (`CR_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Most files one request may hold (`CR_MAX_FILES_PER_REQUEST`, default 30).
    pub max_files_per_request: usize,
    /// Most megabytes of files one request may hold (`CR_MAX_REQUEST_MB`, default 200).
    pub max_request_mb: usize,
    /// Absolute lifetime of a room link in days (`CR_LINK_MAX_DAYS`, default 14): however
    /// often it is used, after this the room asks for a fresh link.
    pub link_max_days: i64,
    /// The business's time zone (`CR_TIMEZONE`, an IANA name, default Australia/Sydney): job
    /// times are entered and shown in it, and "today" is its today.
    pub timezone: chrono_tz::Tz,
    /// Opening hours (`CR_BUSINESS_HOURS`, e.g. "mon-fri 07:30-17:00, sat 08:00-12:00"),
    /// holidays (`CR_HOLIDAYS`, "2026-12-25, 2026-12-26") and how many open minutes a call
    /// back takes at most (`CR_HELP_RESPONSE_MINUTES`, 120): the promise "Get human help" makes.
    pub hours: crate::model::hours::BusinessHours,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "DATABASE_URL is not set (run the app with `make run`, which starts a local database)"
    )]
    MissingDatabaseUrl,
    #[error("{0} has an invalid value: {1}")]
    Invalid(&'static str, String),
    #[error("{0} is not set, but other CR_SMS_* settings are: set all four, or none")]
    IncompleteSms(&'static str),
}

/// The SMS provider: an HTTP API in the shape of Twilio's Messages API, so any compatible
/// provider works. All four settings, or none (texts then go to the log).
#[derive(Clone, Debug)]
pub struct SmsSettings {
    /// `CR_SMS_API_URL`, the API's base, e.g. `https://api.twilio.com`.
    pub api_url: String,
    pub account_sid: String,
    /// Signs our requests (basic auth) and the provider's webhooks to us.
    pub auth_token: SecretString,
    /// The number (or sender id) texts come from.
    pub from: String,
}

impl SmsSettings {
    fn from_env(var: fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        const NAMES: [&str; 4] = [
            "CR_SMS_API_URL",
            "CR_SMS_ACCOUNT_SID",
            "CR_SMS_AUTH_TOKEN",
            "CR_SMS_FROM",
        ];
        let values = NAMES.map(var);
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let [url, sid, token, from] = values;
        let missing = |i: usize| ConfigError::IncompleteSms(NAMES[i]);
        let api_url = url.ok_or(missing(0))?;
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            return Err(ConfigError::Invalid("CR_SMS_API_URL", api_url));
        }
        Ok(Some(SmsSettings {
            api_url: api_url.trim_end_matches('/').to_string(),
            account_sid: sid.ok_or(missing(1))?,
            auth_token: token.ok_or(missing(2))?.into(),
            from: from.ok_or(missing(3))?,
        }))
    }
}

const DEFAULT_SERVICES: &str = "Plumbing,Blocked drain,Hot water,Electrical,Lights & power points,Appliance repair,Gas fitting,Other";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A positive whole number from the environment, or its default when unset.
fn number(name: &'static str, default: usize) -> Result<usize, ConfigError> {
    match var(name) {
        Some(v) => match v.trim().parse() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError::Invalid(name, v)),
        },
        None => Ok(default),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = var("DATABASE_URL").ok_or(ConfigError::MissingDatabaseUrl)?;
        let listen_raw = var("CR_LISTEN")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen: SocketAddr = listen_raw
            .parse()
            .map_err(|_| ConfigError::Invalid("CR_LISTEN", listen_raw.clone()))?;
        let region_raw = var("CR_REGION").unwrap_or_else(|| "AU".into());
        let region = region_raw
            .parse()
            .map_err(|_| ConfigError::Invalid("CR_REGION", region_raw.clone()))?;
        let link_max_days = match var("CR_LINK_MAX_DAYS") {
            Some(v) => v
                .parse()
                .ok()
                .filter(|d| (1..=365).contains(d))
                .ok_or(ConfigError::Invalid("CR_LINK_MAX_DAYS", v))?,
            None => 14,
        };
        let max_upload_mb = match var("CR_MAX_UPLOAD_MB") {
            Some(v) => v
                .parse()
                .map_err(|_| ConfigError::Invalid("CR_MAX_UPLOAD_MB", v))?,
            None => 15,
        };
        let tz_raw = var("CR_TIMEZONE").unwrap_or_else(|| "Australia/Sydney".into());
        let timezone = tz_raw
            .parse()
            .map_err(|_| ConfigError::Invalid("CR_TIMEZONE", tz_raw.clone()))?;
        let hours = crate::model::hours::BusinessHours::parse(
            &var("CR_BUSINESS_HOURS").unwrap_or_else(|| crate::model::hours::DEFAULT_HOURS.into()),
            &var("CR_HOLIDAYS").unwrap_or_default(),
            number("CR_HELP_RESPONSE_MINUTES", 120)? as i64,
        )
        .map_err(|why| ConfigError::Invalid("CR_BUSINESS_HOURS", why))?;
        Ok(Config {
            hours,
            database_url: database_url.into(),
            public_url: var("CR_PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{listen}"))
                .trim_end_matches('/')
                .to_string(),
            listen,
            data_dir: var("CR_DATA_DIR").unwrap_or_else(|| ".data".into()).into(),
            storage_url: var("CR_STORAGE_URL"),
            business_name: var("CR_BUSINESS_NAME")
                .unwrap_or_else(|| "Harbour Plumbing & Electrical".into()),
            business_phone: var("CR_BUSINESS_PHONE").unwrap_or_else(|| "+61 2 9000 0000".into()),
            region,
            service_types: var("CR_SERVICE_TYPES")
                .unwrap_or_else(|| DEFAULT_SERVICES.into())
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            seed_demo: var("CR_SEED_DEMO").is_some_and(|v| v == "1" || v == "true"),
            smtp_url: var("CR_SMTP_URL").map(Into::into),
            smtp_ca_file: var("CR_SMTP_CA_FILE").map(PathBuf::from),
            sms: SmsSettings::from_env(var)?,
            mail_from: var("CR_MAIL_FROM")
                .unwrap_or_else(|| "Customer Room <room@localhost>".into()),
            max_upload_mb,
            payment_url: var("CR_PAYMENT_URL"),
            tax_rate_bp: match var("CR_TAX_RATE_BP") {
                Some(v) => v
                    .parse()
                    .map_err(|_| ConfigError::Invalid("CR_TAX_RATE_BP", v))?,
                None => 1000,
            },
            trusted_proxies: match var("CR_TRUSTED_PROXIES") {
                Some(v) => crate::server::http::client_ip::parse_trusted(&v)
                    .map_err(|bad| ConfigError::Invalid("CR_TRUSTED_PROXIES", bad))?,
                None => Vec::new(),
            },
            max_files_per_request: number("CR_MAX_FILES_PER_REQUEST", 30)?,
            max_request_mb: number("CR_MAX_REQUEST_MB", 200)?,
            link_max_days,
            timezone,
        })
    }

    /// Sensible settings for tests: everything local, nothing sent.
    pub fn for_tests(database_url: &str, data_dir: PathBuf) -> Self {
        Config {
            database_url: database_url.to_string().into(),
            listen: "127.0.0.1:0".parse().expect("static address"),
            public_url: "http://127.0.0.1:3000".into(),
            data_dir,
            storage_url: None,
            business_name: "Test Plumbing".into(),
            business_phone: "+61 2 9000 0000".into(),
            region: phonenumber::country::Id::AU,
            service_types: DEFAULT_SERVICES.split(',').map(str::to_string).collect(),
            seed_demo: false,
            smtp_url: None,
            smtp_ca_file: None,
            sms: None,
            mail_from: "Customer Room <room@localhost>".into(),
            max_upload_mb: 15,
            payment_url: None,
            tax_rate_bp: 1000,
            trusted_proxies: Vec::new(),
            max_files_per_request: 30,
            max_request_mb: 200,
            link_max_days: 14,
            timezone: chrono_tz::Australia::Sydney,
            hours: crate::model::hours::BusinessHours::parse(
                crate::model::hours::DEFAULT_HOURS,
                "",
                120,
            )
            .expect("the default hours"),
        }
    }

    pub fn link_max_age(&self) -> chrono::Duration {
        chrono::Duration::days(self.link_max_days)
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
