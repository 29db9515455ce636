"""TLS to the ACS with the real cwmp-agent binary: certificates made with the
`openssl` command in a temp folder (a test CA, a valid server certificate,
an expired one, one for another host, one from an unknown CA, a client
certificate), and a small HTTPS ACS written here with Python's ssl module
on a free loopback port. A bad certificate must fail the session with a log
line naming the reason, be retried by the schedule, and never reach the
ACS as an HTTP request (let alone plain HTTP); the right CA and host
complete the session; an ACS that requires a client certificate gets one
with --client-cert and refuses the agent without."""
import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import unittest
import uuid

from phonecwmp_harness import Harness, wait_for

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
RETRY_FAST = {
    "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1",
    "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1000",
}


class Pki:
    """A test CA and the certificates it issues, all made with `openssl`."""

    def __init__(self, folder, name):
        self.folder = os.path.join(folder, name)
        os.makedirs(self.folder)
        with open(self._path("index.txt"), "w", encoding="ascii"):
            pass
        with open(self._path("serial"), "w", encoding="ascii") as f:
            f.write("1000\n")
        with open(self._path("ca.cnf"), "w", encoding="ascii") as f:
            f.write("[ca]\ndefault_ca = test_ca\n"
                    "[test_ca]\n"
                    f"database = {self._path('index.txt')}\n"
                    f"new_certs_dir = {self.folder}\n"
                    f"serial = {self._path('serial')}\n"
                    "default_md = sha256\npolicy = any_name\nunique_subject = no\n"
                    "[any_name]\ncommonName = supplied\n")
        self.certificate = self._path("ca.pem")
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", self._path("ca.key"), "-out", self.certificate,
                 "-days", "2", "-subj", f"/CN=phonecwmp {name}",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _path(self, name):
        return os.path.join(self.folder, name)

    def issue(self, name, alt_name="IP:127.0.0.1", start=None, end=None, client=False):
        """Returns (certificate file, key file). start/end: openssl dates
        (YYYYMMDDHHMMSSZ); by default valid from now for a day."""
        key, request, certificate = (self._path(f"{name}.{ext}") for ext in ("key", "csr", "pem"))
        extensions = self._path(f"{name}.ext")
        with open(extensions, "w", encoding="ascii") as f:
            f.write("basicConstraints = critical,CA:FALSE\n"
                    f"extendedKeyUsage = {'clientAuth' if client else 'serverAuth'}\n")
            if alt_name:
                f.write(f"subjectAltName = {alt_name}\n")
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", key, "-out", request, "-subj", f"/CN={name}")
        dates = ["-days", "1"]
        if start or end:
            dates = ["-startdate", start, "-enddate", end]
        _openssl("ca", "-batch", "-notext", "-config", self._path("ca.cnf"),
                 "-cert", self.certificate, "-keyfile", self._path("ca.key"),
                 "-in", request, "-out", certificate, "-extfile", extensions, *dates)
        return certificate, key


def _openssl(*args):
    result = subprocess.run(["openssl", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=30, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}:\n{result.stdout.decode()}")


class TlsAcs:
    """A minimal CWMP ACS over HTTPS: InformResponse to an Inform, 204 to the
    empty POST. Records what it received; runs in a thread of its own."""

    def __init__(self, certificate, key, client_ca=None):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        if client_ca:
            context.load_verify_locations(client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
        self.informs = []
        self.requests = 0
        self.sessions_ended = 0
        self.failed_handshakes = 0
        self.lock = threading.Lock()
        acs = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                if length > 1 << 20:
                    self.send_error(413)
                    return
                body = self.rfile.read(length).decode("utf-8", errors="replace")
                with acs.lock:
                    acs.requests += 1
                if not body.strip():
                    with acs.lock:
                        acs.sessions_ended += 1
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if ":Inform>" not in body and "<Inform>" not in body:
                    self.send_error(400)
                    return
                events = re.findall(r"<EventCode>([^<]*)</EventCode>", body)
                message_id = re.search(r"<cwmp:ID[^>]*>([^<]*)</cwmp:ID>", body)
                with acs.lock:
                    acs.informs.append(events)
                reply = (f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
                         'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Header>'
                         '<cwmp:ID soap:mustUnderstand="1">'
                         f'{message_id.group(1) if message_id else "1"}</cwmp:ID></soap:Header>'
                         '<soap:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>'
                         '</cwmp:InformResponse></soap:Body></soap:Envelope>').encode()
                self.send_response(200)
                self.send_header("Content-Type", 'text/xml; charset="utf-8"')
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                connection, address = self.socket.accept()
                connection.settimeout(10)
                # The handshake runs in the connection's own thread.
                return context.wrap_socket(connection, server_side=True,
                                           do_handshake_on_connect=False), address

            def handle_error(self, request, client_address):
                with acs.lock:
                    acs.failed_handshakes += 1

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"https://127.0.0.1:{self.server.server_address[1]}/acs"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@unittest.skipUnless(shutil.which("openssl"), "the openssl command is not installed")
class AcsTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        folder = cls.harness.workdir
        cls.ca = Pki(folder, "acs-ca")
        cls.stranger = Pki(folder, "unknown-ca")
        cls.cpe_ca = Pki(folder, "cpe-ca")
        cls.valid = cls.ca.issue("acs")
        cls.expired = cls.ca.issue("expired", start="20200101000000Z", end="20200201000000Z")
        cls.wrong_host = cls.ca.issue("wrong-host", alt_name="DNS:acs.example.test")
        cls.unknown = cls.stranger.issue("unknown")
        cls.client = cls.cpe_ca.issue("cpe", alt_name=None, client=True)

    @classmethod
    def tearDownClass(cls):
        cls.harness.__exit__(None, None, None)

    def run_agent(self, acs, options):
        self.addCleanup(acs.close)
        serial = "TLS" + uuid.uuid4().hex[:10].upper()
        state_dir = os.path.join(self.harness.workdir, serial)
        process = self.harness.start_agent(acs.url, dict(RETRY_FAST, **{
            "Device.DeviceInfo.SerialNumber": serial}), state_dir=state_dir,
            options=options)
        self.addCleanup(self.harness.stop, process)
        runs = sum(1 for name, *_ in self.harness.processes if name == "cwmp-agent")
        return lambda: self.harness.log("cwmp-agent", run=runs)

    def expect_refused(self, certificate, reason, options=None, client_ca=None):
        acs = TlsAcs(*certificate, client_ca=client_ca)
        log = self.run_agent(acs, ["--ca-file", self.ca.certificate] + (options or []))
        wait_for("the second retry after a refused certificate",
                 lambda: "session retry #2" in log(), timeout=30)
        self.assertIn(reason, log())
        self.assertNotIn("session: InformResponse", log())
        targets = re.findall(r"session: Inform to (\S+)", log())
        self.assertGreaterEqual(len(targets), 2)
        for target in targets:
            self.assertTrue(target.startswith("https://"), "never falls back to plain HTTP")
        self.assertEqual(acs.requests, 0, "nothing may reach an unverified ACS")
        self.assertEqual(acs.informs, [])

    def test_valid_certificate_from_the_configured_ca_completes_the_session(self):
        acs = TlsAcs(*self.valid)
        log = self.run_agent(acs, ["--ca-file", self.ca.certificate])
        wait_for("the session to end", lambda: acs.sessions_ended >= 1, timeout=30)
        self.assertEqual(acs.informs[0][:2], ["0 BOOTSTRAP", "1 BOOT"])
        self.assertIn("session: InformResponse", log())

    def test_expired_certificate_fails_every_session(self):
        self.expect_refused(self.expired, "TLS: ACS certificate expired")

    def test_certificate_for_another_host_fails_every_session(self):
        self.expect_refused(self.wrong_host, "TLS: ACS certificate for the wrong host")

    def test_certificate_from_an_unknown_ca_fails_every_session(self):
        self.expect_refused(self.unknown, "TLS: ACS certificate from an unknown CA")

    def test_system_store_does_not_trust_a_private_ca(self):
        acs = TlsAcs(*self.valid)
        log = self.run_agent(acs, [])
        wait_for("a refused certificate", lambda: "session retry #1" in log(), timeout=30)
        self.assertIn("TLS: ACS certificate from an unknown CA", log())
        self.assertEqual(acs.requests, 0)

    def test_client_certificate_is_presented_when_the_acs_requires_one(self):
        acs = TlsAcs(*self.valid, client_ca=self.cpe_ca.certificate)
        certificate, key = self.client
        self.run_agent(acs, ["--ca-file", self.ca.certificate, "--client-cert", certificate,
                             "--client-key", key])
        wait_for("the session to end", lambda: acs.sessions_ended >= 1, timeout=30)
        self.assertEqual(acs.informs[0][:2], ["0 BOOTSTRAP", "1 BOOT"])

    def test_acs_requiring_a_client_certificate_refuses_an_agent_without_one(self):
        # How the refusal shows depends on when the server's TLS 1.3 alert
        # arrives (an alert naming it, or a connection closed under the
        # request): either way the session fails before the Inform is read.
        self.expect_refused(self.valid, "session: failed: HTTP transport: ",
                            client_ca=self.cpe_ca.certificate)

    def test_unusable_ca_file_stops_the_agent_at_start(self):
        not_pem = os.path.join(self.harness.workdir, "not-a-ca.pem")
        with open(not_pem, "w", encoding="ascii") as f:
            f.write("not a certificate\n")
        with socket.socket() as reserve:
            reserve.bind(("127.0.0.1", 0))
            url = f"https://127.0.0.1:{reserve.getsockname()[1]}/acs"
        process = self.harness.start_agent(
            url, {}, state_dir=os.path.join(self.harness.workdir, "bad-ca"),
            options=["--ca-file", not_pem])
        self.addCleanup(self.harness.stop, process)
        self.assertEqual(process.wait(timeout=30), 2)
        self.assertIn("cannot load the CA file " + not_pem, self.harness.log("cwmp-agent"))


if __name__ == "__main__":
    unittest.main()
