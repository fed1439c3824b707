//! A real SMTP server (aiosmtpd, tests/support/smtp_server.py) in a child process, with a
//! certificate each test makes itself (openssl), for STARTTLS, implicit TLS and AUTH.
use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct Aiosmtpd {
    child: Child,
    out: PathBuf,
    pub port: u16,
}

/// One message as the server got it.
#[derive(Debug)]
pub struct Arrived {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    pub tls: bool,
    pub user: Option<String>,
    /// When it arrived (seconds since the epoch).
    pub at: f64,
}

/// A fresh folder under the system temp dir.
pub fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cr-smtp-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server certificate for 127.0.0.1 signed by a test CA of its own, in `dir`:
/// (ca.pem — what the client trusts, cert.pem, key.pem — what the server presents).
pub fn certificate(dir: &std::path::Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |name: &str| dir.join(name);
    let run = |args: &[&str]| {
        let ok = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .expect("openssl runs")
            .success();
        assert!(ok, "openssl {args:?}");
    };
    std::fs::write(
        p("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]);
    (p("ca.pem"), p("cert.pem"), p("key.pem"))
}

impl Aiosmtpd {
    /// Starts the server with these options (see the script) and waits until it listens.
    pub fn start(args: &[&str]) -> Self {
        let python = std::env::var("CR_AIOSMTPD_PYTHON").expect(
            "CR_AIOSMTPD_PYTHON names the Python with aiosmtpd (scripts/setup.sh installs it; \
             `make test` sets it)",
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_server.py");
        let out = scratch().join("received.jsonl");
        let mut child = Command::new(python)
            .arg(script)
            .arg("--out")
            .arg(&out)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP server starts");
        let mut line = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Aiosmtpd { child, out, port }
    }

    pub fn received(&self) -> Vec<Arrived> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                Arrived {
                    from: v["from"].as_str().unwrap_or_default().to_string(),
                    to: v["to"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().to_string())
                        .collect(),
                    data: v["data"].as_str().unwrap_or_default().to_string(),
                    tls: v["tls"].as_bool().unwrap_or(false),
                    user: v["user"].as_str().map(str::to_string),
                    at: v["at"].as_f64().unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Waits (polling) until `n` messages have arrived, or `wait` has passed.
    pub async fn wait_for(&self, n: usize, wait: Duration) -> Vec<Arrived> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || start.elapsed() > wait {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
