"""A real SMTP server for the email tests (aiosmtpd), started by tests/common/aiosmtpd.rs.

Each message it accepts is appended to --out as one JSON line: envelope sender and
recipients, the raw message, whether the session was encrypted and who logged in. Prints
"READY <port>" once it listens.

  --starttls CERT KEY   offer STARTTLS (and require it before AUTH and MAIL)
  --smtps CERT KEY      TLS from the first byte (implicit TLS, like port 465)
  --auth USER:PASS      require AUTH LOGIN/PLAIN with these credentials
"""
import argparse
import json
import signal
import socket
import ssl
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        line = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", "replace"),
            # session.ssl is set by STARTTLS only; implicit TLS shows on the transport.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            "user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "at": time.time(),
        }
        with self.lock, open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
        return "250 OK"


def tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    # aiosmtpd warns about AUTH over implicit TLS and its own deprecations: noise here.
    warnings.simplefilter("ignore")
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth")
    a = p.parse_args()

    kwargs = {}
    if a.starttls:
        kwargs.update(tls_context=tls_context(*a.starttls), require_starttls=True)
    if a.smtps:
        kwargs.update(ssl_context=tls_context(*a.smtps))
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            # handled=False: aiosmtpd answers a failure (535) itself.
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        # Over implicit TLS the session is already encrypted; aiosmtpd's own check only
        # knows about STARTTLS, so let the TLS modes decide.
        # AUTH PLAIN only, as most providers offer it.
        kwargs.update(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=bool(a.starttls),
            auth_exclude_mechanism=["LOGIN"],
        )

    port = free_port()
    controller = Controller(Recorder(a.out), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print(f"READY {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Also stop when the test that started us goes away (its end of stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
