//! A tiny SMTP server on 127.0.0.1, speaking just enough of RFC 5321 for lettre's client:
//! a message it accepts was really handed off over a socket, one it refuses (451) is a
//! real delivery failure the outbox must retry.
use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Arc, Mutex,
};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::{watch, Notify},
};

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (dot-stuffing undone).
    pub data: String,
    /// Which of the server's listeners took it (see [`SmtpServer::add_listener`]).
    pub listener: usize,
}

impl Received {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a well-formed message")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()
            .header(name)
            .and_then(|h| h.as_text().map(str::to_string))
    }

    /// The plain-text part as the recipient reads it (MIME and transfer encoding undone).
    pub fn body(&self) -> String {
        self.parsed()
            .body_text(0)
            .expect("a plain-text part")
            .into_owned()
    }

    /// The HTML part, if the message has one.
    pub fn html(&self) -> Option<String> {
        self.parsed().body_html(0).map(|h| h.into_owned())
    }
}

struct Shared {
    received: Mutex<Vec<Received>>,
    arrived: Notify,
    /// Answer 451 to DATA's end instead of accepting.
    refuse: AtomicBool,
    /// The listeners that have had a session (a sender may open several at once).
    listeners_seen: Mutex<std::collections::HashSet<usize>>,
    /// Hold every accepted message until this many listeners have had a session.
    hold_until: AtomicUsize,
    gate: watch::Sender<usize>,
}

#[derive(Clone)]
pub struct SmtpServer {
    shared: Arc<Shared>,
}

impl SmtpServer {
    /// A server with one listener; returns it and that listener's `smtp://` URL.
    pub async fn start() -> (Self, String) {
        let server = SmtpServer {
            shared: Arc::new(Shared {
                received: Mutex::new(Vec::new()),
                arrived: Notify::new(),
                refuse: AtomicBool::new(false),
                listeners_seen: Mutex::new(Default::default()),
                hold_until: AtomicUsize::new(0),
                gate: watch::channel(0).0,
            }),
        };
        let url = server.add_listener(0).await;
        (server, url)
    }

    /// Another port feeding the same mailbox, tagged `tag` in what it receives.
    pub async fn add_listener(&self, tag: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let shared = self.shared.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = session(socket, shared, tag).await;
                });
            }
        });
        url
    }

    pub fn refuse(&self, refuse: bool) {
        self.shared.refuse.store(refuse, Ordering::SeqCst);
    }

    /// Accepted messages get their final answer only once `n` listeners have had a
    /// session, so one sender is still inside its delivery when the other connects.
    pub fn hold_until_listeners(&self, n: usize) {
        self.shared.hold_until.store(n, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages were accepted (or `wait` passes); returns them all.
    pub async fn wait_for(&self, n: usize, wait: std::time::Duration) -> Vec<Received> {
        let _ = tokio::time::timeout(wait, async {
            loop {
                let arrived = self.shared.arrived.notified();
                if self.shared.received.lock().unwrap().len() >= n {
                    return;
                }
                arrived.await;
            }
        })
        .await;
        self.received()
    }
}

async fn session(socket: TcpStream, shared: Arc<Shared>, tag: usize) -> std::io::Result<()> {
    let seen = {
        let mut seen = shared.listeners_seen.lock().unwrap();
        seen.insert(tag);
        seen.len()
    };
    shared.gate.send_replace(seen);
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test.invalid ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-test.invalid\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 ok\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 ok\r\n"
            }
            "MAIL" => {
                from = address(&command);
                b"250 ok\r\n"
            }
            "RCPT" => {
                to.push(address(&command));
                b"250 ok\r\n"
            }
            "DATA" => {
                write.write_all(b"354 end with .\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(&unstuffed.replace("\r\n", "\n"));
                }
                let hold = shared.hold_until.load(Ordering::SeqCst);
                if hold > 0 {
                    let mut gate = shared.gate.subscribe();
                    let _ = gate.wait_for(|n| *n >= hold).await;
                }
                if shared.refuse.load(Ordering::SeqCst) {
                    b"451 4.3.0 try again later\r\n"
                } else {
                    shared.received.lock().unwrap().push(Received {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                        listener: tag,
                    });
                    shared.arrived.notify_waiters();
                    b"250 queued\r\n"
                }
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// `MAIL FROM:<a@b>` → `a@b`.
fn address(command: &str) -> String {
    let start = command.find('<').map(|i| i + 1).unwrap_or(0);
    let end = command[start..]
        .find('>')
        .map(|i| start + i)
        .unwrap_or(command.len());
    command[start..end].to_string()
}
