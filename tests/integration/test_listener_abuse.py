"""Every listener under abuse, with the real binaries on loopback: the
agent's connection-request server, the agent's SIP endpoint (UDP, TCP, TLS),
acs-sim's CWMP endpoint (HTTP and HTTPS) and its NBI.

For each: a flood of unauthenticated requests, oversized header lines, too
many headers and oversized bodies, a crowd of 1,000 idle connections
(slowloris) and, on TLS listeners, broken handshakes. Throughout, a
legitimate request is still answered within LEGIT_BOUND seconds (a
functional bound, generous on purpose: this is not a benchmark), the
process survives, and its RSS grows by less than RSS_BOUND_KIB (in the
normal build: see SANITIZED). The figures
(requests per second, connections held, RSS before and after) are printed
for docs/security.md. Every loop is bounded in count and time."""
import os
import shutil
import socket
import subprocess
import time
import unittest
import uuid

import listener_abuse as abuse
from phonecwmp_harness import Harness, curl_digest, is_sanitized, parameter, wait_for

LEGIT_BOUND = 2.0  # seconds
RSS_BOUND_KIB = 20 * 1024
# What one pending TLS handshake may cost acs-sim (OpenSSL's buffers).
TLS_KIB_PER_CONNECTION = 128
IDLE_CROWD = 1000
CR_URL = "Device.ManagementServer.ConnectionRequestURL"
CR_USERNAME = "acs-" + uuid.uuid4().hex[:6]
CR_PASSWORD = "pw-" + uuid.uuid4().hex
# connection_request_server.hpp / connection.hpp
CR_MAX_CONNECTIONS = 8
# Another host, to the agent's connection-request server, which shares its
# rate limit and its connections by source address: the abuse comes from
# here, the legitimate ACS from 127.0.0.1.
ABUSERS = ("127.0.0.2", "127.0.0.3")
CR_IDLE_TIMEOUT = 10
# acs_server.hpp: the NBI's per-connection timeout
NBI_TIMEOUT = 10
# sip/stream_transport.hpp
SIP_MAX_CONNECTIONS = 32
SIP_FIRST_MESSAGE_TIMEOUT = 10
BIN_DIR = os.environ.get("PHONECWMP_BIN_DIR", "build/bin")
# Under AddressSanitizer a process's RSS is mostly the sanitizer's: shadow
# memory and a quarantine that keeps freed blocks (256 MiB by default). The
# memory bounds hold for the normal build; the sanitizer build checks the
# rest (served throughout, alive, no report).
SANITIZED = is_sanitized(os.path.join(BIN_DIR, "cwmp-agent"))
NETWORK = "Device.Services.VoiceService.1.SIP.Network.1."
DOMAINS = "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains"
OPENSSL = shutil.which("openssl")


def figures(listener, **values):
    print(f"\n[abuse figures] {listener}: " +
          ", ".join(f"{name}={value}" for name, value in values.items()), flush=True)


def make_certificate(folder):
    certificate = os.path.join(folder, "abuse-cert.pem")
    key = os.path.join(folder, "abuse-key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True, timeout=30)
    return certificate, key


def http_get(path, extra_headers=b""):
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode() +
            extra_headers + b"\r\n")


def oversized_requests(path, method="GET"):
    """(name, request, statuses that are a correct answer); None: closed."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))
    return [
        ("a 64 KiB header line", head + b"X-Long: " + b"a" * 65536 + b"\r\n\r\n", {431, None}),
        ("3,000 header fields", head + many + b"\r\n", {431, None}),
        ("an 8 MiB body", head + b"Content-Length: 8388608\r\n\r\n" + b"x" * 65536,
         {413, None}),
        ("a broken request line", b"GET\x00 / HTTP/9.9\r\n\r\n", {400, None}),
    ]


class Listeners(unittest.TestCase):
    def setUp(self):
        abuse.raise_open_file_limit(4 * IDLE_CROWD)
        self.harness = Harness(BIN_DIR)
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self.harness.print_logs_if_failed, self)

    def assertAlive(self, process, name):
        self.assertIsNone(process.poll(), f"{name} exited with {process.returncode}")

    def assertMemoryGrowthBelow(self, grown_kib, bound_kib):
        if not SANITIZED:
            self.assertLess(grown_kib, bound_kib)

    # ---- the agent's connection-request server -------------------------------

    def start_agent_with_cr(self):
        self.harness.start_acs_sim()
        serial = "AB" + uuid.uuid4().hex[:10].upper()
        agent = self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": serial,
            "Device.ManagementServer.ConnectionRequestUsername": CR_USERNAME,
            "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
        })

        def url():
            device = self.harness.device_by_serial(serial, projection=f"{CR_URL},_deviceId")
            leaf = parameter(device, CR_URL) if device else None
            return leaf.get("_value") if leaf else None

        self.cr_url = wait_for("the ConnectionRequestURL in the first Inform", url, timeout=30)
        rest = self.cr_url.split("://", 1)[1]
        host_port, path = rest.split("/", 1)
        self.cr_port = int(host_port.rsplit(":", 1)[1])
        self.cr_path = "/" + path
        return agent

    def legit_cr(self, timeout=10):
        started = time.monotonic()
        status = curl_digest(self.cr_url, CR_USERNAME, CR_PASSWORD, timeout=timeout)
        return status, time.monotonic() - started

    def cr_served_again(self, within):
        """The first legitimate connection request answered 200. A Digest
        request is two HTTP requests (the challenge, then the answer), each
        taking a token, and the limiter refills one a second: retrying every
        second would itself keep the bucket empty, so wait 2.5 s in between."""
        return wait_for("a legitimate connection request to be answered 200",
                        lambda: self.legit_cr()[0] == 200 or None, timeout=within, interval=2.5)

    def test_connection_request_flood(self):
        agent = self.start_agent_with_cr()
        rss_before = abuse.rss_kib(agent.pid)
        # Unknown paths take no rate-limit token: a legitimate request is
        # served while they flood in.
        with abuse.BackgroundFlood(self.cr_port, http_get("/not-the-path"), 2000,
                                   threads=3) as wrong_path:
            during = []
            while wrong_path.running() and len(during) < 3:
                during.append(self.legit_cr())
        self.assertTrue(during, "the flood ended before a legitimate request was tried")
        for status, seconds in during:
            self.assertEqual(status, 200, f"during the wrong-path flood: {during}")
            self.assertLess(seconds, LEGIT_BOUND, f"during the wrong-path flood: {during}")
        self.assertEqual(set(wrong_path.result.statuses), {404}, wrong_path.result)
        figures("connection request, 2,000 GETs on a wrong path",
                per_second=round(wrong_path.result.sent / wrong_path.result.seconds),
                legit_seconds=[round(s, 3) for _, s in during])

        # On the right path, without or with wrong credentials, from another
        # host: the flood drains its own source's rate limit (503s), not the
        # ACS's, which is answered 200 throughout. One legitimate exchange
        # per flood: each takes two of the ACS's own burst of 10 tokens, and
        # the wrong-path round above took up to six.
        log_lines_before = len(self.harness.log("cwmp-agent").splitlines())
        bogus = (f'Authorization: Digest username="{CR_USERNAME}", realm="x", nonce="bogus", '
                 f'uri="{self.cr_path}", response="{"0" * 32}"\r\n').encode()
        results = []
        legit_during_floods = []
        for request, abuser in ((http_get(self.cr_path), ABUSERS[0]),
                                (http_get(self.cr_path, bogus), ABUSERS[1])):
            with abuse.BackgroundFlood(self.cr_port, request, 1000, threads=3,
                                       source=abuser) as flood:
                during = []
                while flood.running() and len(during) < 1:
                    during.append(self.legit_cr())
            results.append(flood.result)
            legit_during_floods += during
            self.assertLessEqual(set(flood.result.statuses), {401, 503}, flood.result)
            self.assertGreater(flood.result.statuses.get(503, 0), 900, flood.result)
            for status, seconds in during:
                self.assertEqual(status, 200, f"during a flood from {abuser}: {during}")
                self.assertLess(seconds, LEGIT_BOUND, during)
        self.assertTrue(legit_during_floods, "the floods ended before a legitimate request")
        # From the ACS's own address, the flood drains the ACS's bucket too:
        # 503 at once, and 200 again within seconds once it stops.
        with abuse.BackgroundFlood(self.cr_port, http_get(self.cr_path), 1000,
                                   threads=3) as flood:
            during = []
            while flood.running() and len(during) < 5:
                during.append(self.legit_cr())
        results.append(flood.result)
        self.assertLessEqual(set(flood.result.statuses), {401, 503}, flood.result)
        for status, seconds in during:
            self.assertIn(status, (200, 503), during)
            self.assertLess(seconds, LEGIT_BOUND, during)
        self.cr_served_again(within=30)
        flood_seconds = sum(r.seconds for r in results)
        log_growth = len(self.harness.log("cwmp-agent").splitlines()) - log_lines_before
        # Only what passes the rate limit (per source a burst of 10, then 1
        # a second) is logged above debug, and the refusals once per 10 s:
        # the flood does not flood the log.
        self.assertLess(log_growth, 40 + 4 * flood_seconds, "log lines written during the flood")
        self.assertAlive(agent, "cwmp-agent")
        rss_after = abuse.rss_kib(agent.pid)
        self.assertMemoryGrowthBelow(rss_after - rss_before, RSS_BOUND_KIB)
        figures("connection request, 3,000 unauthenticated GETs on the path",
                per_second=round(sum(r.sent for r in results) / flood_seconds),
                statuses=[r.statuses for r in results], log_lines=log_growth,
                legit_seconds=[round(s, 3) for _, s in legit_during_floods],
                rss_kib_before=rss_before, rss_kib_after=rss_after)

    def test_connection_request_oversized(self):
        agent = self.start_agent_with_cr()
        for name, request, expected in oversized_requests(self.cr_path):
            with self.subTest(name):
                self.assertIn(abuse.exchange(self.cr_port, request), expected)
        self.assertEqual(self.legit_cr()[0], 200)
        self.assertAlive(agent, "cwmp-agent")

    def test_connection_request_slowloris(self):
        agent = self.start_agent_with_cr()
        rss_before = abuse.rss_kib(agent.pid)
        crowd_opened_at = time.monotonic()
        with abuse.IdleCrowd(self.cr_port, IDLE_CROWD, source=ABUSERS[0]) as crowd:
            opened = len(crowd.sockets)
            # Beyond max_connections, new connections from the same host are
            # closed at once...
            held = wait_for("the connections beyond the bound to be shed",
                            lambda: (crowd.still_open() <= CR_MAX_CONNECTIONS and
                                     crowd.still_open()) or None, timeout=15)
            rss_during = abuse.rss_kib(agent.pid)
            # ...while the ACS, from another address, takes the place of one
            # of them and is served at once, not after the idle timeout.
            legit_during = [self.legit_cr() for _ in range(3)]
            for status, seconds in legit_during:
                self.assertEqual(status, 200, f"during the slowloris: {legit_during}")
                self.assertLess(seconds, LEGIT_BOUND, legit_during)
            # The first exchange took one held connection's place; the later
            # ones used the slot it left when it ended. (Idle timeouts could
            # close held ones too, but not before CR_IDLE_TIMEOUT.)
            still_open = crowd.still_open()
            if time.monotonic() - crowd_opened_at < CR_IDLE_TIMEOUT:
                self.assertEqual(still_open, held - 1,
                                 "the ACS takes exactly one held connection's place")
            else:
                self.assertLess(still_open, held, "no held connection gave way to the ACS")
            # The held ones end at the idle timeout.
            wait_for("the idle connections to time out", lambda: crowd.still_open() == 0,
                     timeout=CR_IDLE_TIMEOUT + 15)
            status, seconds = self.legit_cr()
        self.assertEqual(status, 200)
        self.assertLess(seconds, LEGIT_BOUND)
        self.assertAlive(agent, "cwmp-agent")
        rss_after = abuse.rss_kib(agent.pid)
        self.assertMemoryGrowthBelow(max(rss_during, rss_after) - rss_before, RSS_BOUND_KIB)
        figures("connection request, slowloris", opened=opened, held=held,
                legit_seconds=[round(s, 3) for _, s in legit_during],
                rss_kib_before=rss_before, rss_kib_during=rss_during, rss_kib_after=rss_after)

    # ---- acs-sim: CWMP endpoint and NBI --------------------------------------

    def start_acs_sim(self, options=None):
        acs = self.harness.start_acs_sim(options=options)
        self.cwmp_port = int(self.harness.cwmp_endpoint.rsplit(":", 1)[1])
        self.nbi_port = int(self.harness.nbi_endpoint.rsplit(":", 1)[1])
        return acs

    def legit_nbi(self):
        return abuse.timed_exchange(self.nbi_port, http_get("/devices"))

    def cwmp_post(self, body):
        return (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                b"Content-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    def test_acs_sim_floods(self):
        acs = self.start_acs_sim(options=["--cpe-auth", "digest", "--cpe-username", "cpe",
                                          "--cpe-password", "pw-" + uuid.uuid4().hex])
        rss_before = abuse.rss_kib(acs.pid)
        garbage = self.cwmp_post(b"<soap:Envelope>not CWMP</soap:Envelope>")
        floods = [("NBI, 2,000 GET /devices", self.nbi_port, http_get("/devices"), {200}),
                  ("NBI, 2,000 GETs on unknown paths", self.nbi_port, http_get("/nope"), {404}),
                  ("CWMP, 2,000 unauthenticated POSTs", self.cwmp_port, garbage, {401})]
        for name, port, request, expected in floods:
            with self.subTest(name):
                with abuse.BackgroundFlood(port, request, 2000, threads=4) as flood:
                    during = []
                    while flood.running() and len(during) < 5:
                        during.append(self.legit_nbi())
                        during.append(abuse.timed_exchange(self.cwmp_port, garbage))
                        time.sleep(0.2)
                self.assertEqual(set(flood.result.statuses), expected, flood.result)
                self.assertTrue(during, "the flood ended before a legitimate request")
                for status, seconds in during:
                    self.assertIsNotNone(status, during)
                    self.assertLess(seconds, LEGIT_BOUND, during)
                figures(f"acs-sim {name}",
                        per_second=round(flood.result.sent / flood.result.seconds),
                        legit_seconds_max=round(max(s for _, s in during), 3))
        self.assertEqual(self.legit_nbi()[0], 200)
        self.assertAlive(acs, "acs-sim")
        rss_after = abuse.rss_kib(acs.pid)
        self.assertMemoryGrowthBelow(rss_after - rss_before, RSS_BOUND_KIB)
        figures("acs-sim floods", rss_kib_before=rss_before, rss_kib_after=rss_after)

    def test_acs_sim_oversized(self):
        acs = self.start_acs_sim()
        for port, method, listener in ((self.nbi_port, "POST", "NBI"),
                                       (self.cwmp_port, "POST", "CWMP")):
            for name, request, expected in oversized_requests("/devices", method):
                with self.subTest(f"{listener}: {name}"):
                    self.assertIn(abuse.exchange(port, request), expected)
        self.assertEqual(self.legit_nbi()[0], 200)
        self.assertAlive(acs, "acs-sim")

    def test_acs_sim_slowloris(self):
        acs = self.start_acs_sim()
        rss_before = abuse.rss_kib(acs.pid)
        # acs-sim bounds idle connections in time, not in number: all are
        # accepted, legitimate requests keep being served beside them, and
        # each closes at the NBI's timeout.
        with abuse.IdleCrowd(self.nbi_port, IDLE_CROWD) as crowd, \
                abuse.IdleCrowd(self.cwmp_port, IDLE_CROWD // 2,
                                opening=b"POST / HTTP/1.1\r\nHost: x\r\n") as half_sent:
            opened = len(crowd.sockets) + len(half_sent.sockets)
            time.sleep(1.0)
            held = crowd.still_open() + half_sent.still_open()
            rss_during = abuse.rss_kib(acs.pid)
            status, seconds = self.legit_nbi()
            self.assertEqual(status, 200)
            self.assertLess(seconds, LEGIT_BOUND)
            cwmp_status, cwmp_seconds = abuse.timed_exchange(self.cwmp_port,
                                                             self.cwmp_post(b""))
            self.assertIsNotNone(cwmp_status)
            self.assertLess(cwmp_seconds, LEGIT_BOUND)
            wait_for("the idle NBI connections to time out", lambda: crowd.still_open() == 0,
                     timeout=NBI_TIMEOUT + 20)
        self.assertAlive(acs, "acs-sim")
        rss_after = abuse.rss_kib(acs.pid)
        self.assertMemoryGrowthBelow(max(rss_during, rss_after) - rss_before, RSS_BOUND_KIB)
        figures("acs-sim slowloris (NBI idle + CWMP half-sent headers)", opened=opened,
                held=held, legit_nbi_seconds=round(seconds, 3), rss_kib_before=rss_before,
                rss_kib_during=rss_during, rss_kib_after=rss_after)

    def test_acs_sim_connection_cap(self):
        cap = 200
        acs = self.start_acs_sim(options=["--max-connections", str(cap)])
        rss_before = abuse.rss_kib(acs.pid)
        with abuse.IdleCrowd(self.cwmp_port, IDLE_CROWD,
                             opening=b"POST / HTTP/1.1\r\nHost: x\r\n") as crowd:
            opened = len(crowd.sockets)
            # The kernel completes every handshake; acs-sim closes what it
            # accepts beyond the cap at once.
            held = wait_for("the connections beyond the cap to be closed",
                            lambda: (crowd.still_open() <= cap and crowd.still_open()) or None,
                            timeout=15)
            rss_during = abuse.rss_kib(acs.pid)
            # The NBI has its own cap: it keeps serving.
            status, seconds = self.legit_nbi()
            self.assertEqual(status, 200)
            self.assertLess(seconds, LEGIT_BOUND)
        # Once the crowd leaves, CPEs are served again.
        cwmp_status = wait_for(
            "a CWMP request to be answered again",
            lambda: abuse.timed_exchange(self.cwmp_port, self.cwmp_post(b""))[0], timeout=15)
        self.assertIsNotNone(cwmp_status)
        self.assertAlive(acs, "acs-sim")
        log = self.harness.log("acs-sim")
        self.assertIn(f"{cap} open connections, the limit: refused", log)
        # One warning per 10 s at most, not one per refused connection.
        self.assertLess(log.count("open connections, the limit"), 5)
        rss_after = abuse.rss_kib(acs.pid)
        self.assertMemoryGrowthBelow(max(rss_during, rss_after) - rss_before, RSS_BOUND_KIB)
        figures("acs-sim connection cap (CWMP half-sent headers)", cap=cap, opened=opened,
                held=held, rss_kib_before=rss_before, rss_kib_during=rss_during,
                rss_kib_after=rss_after)

    @unittest.skipUnless(OPENSSL, "the openssl command is not installed")
    def test_acs_sim_https_malformed_handshakes(self):
        certificate, key = make_certificate(self.harness.workdir)
        acs = self.start_acs_sim(options=["--tls-cert", certificate, "--tls-key", key])
        tls = abuse.insecure_tls_context()
        rss_before = abuse.rss_kib(acs.pid)
        for name, payload in abuse.malformed_handshakes().items():
            with self.subTest(name):
                for _ in range(50):
                    abuse.send_and_wait_close(self.cwmp_port, payload, timeout=0.2)
                status, seconds = abuse.timed_exchange(self.cwmp_port, self.cwmp_post(b""),
                                                       tls=tls)
                self.assertIsNotNone(status, f"HTTPS after {name}")
                self.assertLess(seconds, LEGIT_BOUND)
        # Half handshakes left hanging: they wait for the timeout, while a
        # real client is served beside them.
        half = abuse.malformed_handshakes()["half a ClientHello"]
        with abuse.IdleCrowd(self.cwmp_port, IDLE_CROWD // 2, opening=half) as crowd:
            held = crowd.still_open()
            status, seconds = abuse.timed_exchange(self.cwmp_port, self.cwmp_post(b""), tls=tls)
            self.assertIsNotNone(status)
            self.assertLess(seconds, LEGIT_BOUND)
        self.assertAlive(acs, "acs-sim")
        rss_after = abuse.rss_kib(acs.pid)
        # acs-sim bounds pending handshakes in time (its CWMP timeout), not
        # in number: each costs its OpenSSL state until then.
        self.assertMemoryGrowthBelow(rss_after - rss_before, RSS_BOUND_KIB + TLS_KIB_PER_CONNECTION * held)
        figures("acs-sim HTTPS, malformed handshakes (4 kinds x 50) + 500 half ClientHellos",
                held=held, legit_seconds=round(seconds, 3), rss_kib_before=rss_before,
                rss_kib_after=rss_after)

    # ---- the agent's SIP endpoint ----------------------------------------------

    def start_sip_agent(self, transport, extra_options=()):
        self.sip_port = abuse_free_port()
        agent = self.harness.start_agent("http://127.0.0.1:9/", {
            NETWORK + "UserAgentPort": self.sip_port,
            NETWORK + "UserAgentTransport": transport,
            DOMAINS: "localhost",
            "Device.DeviceInfo.SerialNumber": "SIPAB" + uuid.uuid4().hex[:6].upper(),
        }, options=["--sip-listen", "127.0.0.1"] + list(extra_options))
        wait_for("the SIP endpoint to listen",
                 lambda: "SIP endpoint listening" in self.harness.log("cwmp-agent"), timeout=15)
        # Until localhost has resolved (logged after "listening"), a request
        # from 127.0.0.1 is dropped too: a legitimate TCP or TLS OPTIONS
        # would then go unanswered.
        wait_for("localhost to resolve",
                 lambda: "localhost resolved to" in self.harness.log("cwmp-agent"), timeout=15)
        return agent

    def test_sip_udp_flood_from_a_restricted_source(self):
        agent = self.start_sip_agent("UDP")
        rss_before = abuse.rss_kib(agent.pid)
        self.assertEqual(sip_options_udp(self.sip_port)[0], 200)
        sent_total, seconds_total, during = 0, 0.0, []
        for batch in range(5):
            # 127.0.0.2 is not in the restricted domain: dropped silently.
            datagrams = [sip_invite(self.sip_port, "127.0.0.2", f"{batch}-{i}")
                         for i in range(1000)]
            sent, seconds = abuse.udp_send_all(self.sip_port, datagrams, source="127.0.0.2")
            sent_total += sent
            seconds_total += seconds
            during.append(sip_options_udp(self.sip_port))
        for status, seconds in during:
            self.assertEqual(status, 200, during)
            self.assertLess(seconds, LEGIT_BOUND, during)
        self.assertAlive(agent, "cwmp-agent")
        rss_after = abuse.rss_kib(agent.pid)
        self.assertMemoryGrowthBelow(rss_after - rss_before, RSS_BOUND_KIB)
        figures("SIP UDP, 5,000 INVITEs from a restricted source", sent=sent_total,
                per_second=round(sent_total / seconds_total),
                legit_seconds_max=round(max(s for _, s in during), 3),
                rss_kib_before=rss_before, rss_kib_after=rss_after)

    def test_sip_udp_oversized(self):
        agent = self.start_sip_agent("UDP")
        head = sip_options(self.sip_port, "UDP", "127.0.0.1").split(b"\r\n\r\n")[0]
        broken = [head + b"\r\nX-Long: " + b"a" * 8000 + b"\r\n\r\n",
                  head + b"\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(500)) + b"\r\n",
                  head + b"\r\nContent-Length: 60000\r\n\r\n" + b"x" * 100,
                  b"\x00\xff" * 700]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for datagram in broken:
                sock.sendto(datagram, ("127.0.0.1", self.sip_port))
        self.assertEqual(sip_options_udp(self.sip_port)[0], 200)
        self.assertAlive(agent, "cwmp-agent")

    def test_sip_tcp_slowloris_and_oversized(self):
        agent = self.start_sip_agent("TCP")
        rss_before = abuse.rss_kib(agent.pid)
        for name, payload in (
                ("a 64 KiB header line",
                 sip_options(self.sip_port, "TCP", "127.0.0.1").replace(
                     b"\r\n\r\n", b"\r\nX-Long: " + b"a" * 65536 + b"\r\n\r\n")),
                ("70,000 bytes without an end of header", b"OPTIONS " + b"a" * 70000),
                ("garbage", b"\x00\xff" * 4096)):
            with self.subTest(name):
                self.assertIsNotNone(abuse.send_and_wait_close(self.sip_port, payload, 15),
                                     "the endpoint kept a broken stream open")
        self.assertEqual(sip_options_tcp(self.sip_port)[0], 200)
        with abuse.IdleCrowd(self.sip_port, IDLE_CROWD) as crowd:
            opened = len(crowd.sockets)
            held = wait_for("the connections beyond the bound to be refused",
                            lambda: (crowd.still_open() <= SIP_MAX_CONNECTIONS and
                                     crowd.still_open()) or None, timeout=15)
            rss_during = abuse.rss_kib(agent.pid)
            # Connections that never send a message are closed after the
            # first-message timeout; then a caller gets a connection again.
            wait_for("the idle connections to time out", lambda: crowd.still_open() == 0,
                     timeout=SIP_FIRST_MESSAGE_TIMEOUT + 15)
            status, seconds = sip_options_tcp(self.sip_port)
        self.assertEqual(status, 200)
        self.assertLess(seconds, LEGIT_BOUND)
        self.assertAlive(agent, "cwmp-agent")
        rss_after = abuse.rss_kib(agent.pid)
        self.assertMemoryGrowthBelow(max(rss_during, rss_after) - rss_before, RSS_BOUND_KIB)
        figures("SIP TCP, slowloris", opened=opened, held=held, rss_kib_before=rss_before,
                rss_kib_during=rss_during, rss_kib_after=rss_after)

    @unittest.skipUnless(OPENSSL, "the openssl command is not installed")
    def test_sip_tls_malformed_handshakes(self):
        certificate, key = make_certificate(self.harness.workdir)
        agent = self.start_sip_agent("TLS", ["--sip-cert", certificate, "--sip-key", key])
        tls = abuse.insecure_tls_context()
        rss_before = abuse.rss_kib(agent.pid)
        self.assertEqual(sip_options_tcp(self.sip_port, tls=tls)[0], 200)
        for name, payload in abuse.malformed_handshakes().items():
            with self.subTest(name):
                for _ in range(20):
                    abuse.send_and_wait_close(self.sip_port, payload, timeout=0.2)
                status, seconds = sip_options_tcp(self.sip_port, tls=tls)
                self.assertEqual(status, 200, f"SIP over TLS after {name}")
                self.assertLess(seconds, LEGIT_BOUND)
        # Half handshakes left hanging hold at most the bound, and only until
        # the handshake timeout.
        half = abuse.malformed_handshakes()["half a ClientHello"]
        with abuse.IdleCrowd(self.sip_port, 200, opening=half) as crowd:
            held = wait_for("the handshakes beyond the bound to be refused",
                            lambda: (crowd.still_open() <= SIP_MAX_CONNECTIONS and
                                     crowd.still_open()) or None, timeout=15)
            wait_for("the half handshakes to time out", lambda: crowd.still_open() == 0,
                     timeout=SIP_FIRST_MESSAGE_TIMEOUT + 15)
        status, seconds = sip_options_tcp(self.sip_port, tls=tls)
        self.assertEqual(status, 200)
        self.assertLess(seconds, LEGIT_BOUND)
        self.assertAlive(agent, "cwmp-agent")
        rss_after = abuse.rss_kib(agent.pid)
        self.assertMemoryGrowthBelow(rss_after - rss_before, RSS_BOUND_KIB)
        figures("SIP TLS, malformed handshakes (4 kinds x 20) + 200 half ClientHellos",
                held=held, rss_kib_before=rss_before, rss_kib_after=rss_after)


# ---- SIP messages ---------------------------------------------------------------

def abuse_free_port():
    """A loopback port free for both UDP and TCP when asked."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no port free for both UDP and TCP")


def _request(method, port, transport, source, local_port, call_id, body=b""):
    branch = "z9hG4bK" + uuid.uuid4().hex
    return (f"{method} sip:phone@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} {source}:{local_port};branch={branch};rport\r\n"
            f"Max-Forwards: 70\r\n"
            f"From: <sip:abuse@{source}>;tag={uuid.uuid4().hex[:8]}\r\n"
            f"To: <sip:phone@127.0.0.1>\r\n"
            f"Call-ID: {call_id}@{source}\r\n"
            f"CSeq: 1 {method}\r\n"
            f"Contact: <sip:abuse@{source}:{local_port}>\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def sip_options(port, transport, source, local_port=5060):
    return _request("OPTIONS", port, transport, source, local_port, uuid.uuid4().hex)


def sip_invite(port, source, call_id):
    sdp = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
           b"m=audio 4000 RTP/AVP 0\r\n")
    return _request("INVITE", port, "UDP", source, 5060, "flood-" + call_id, sdp)


def _sip_status(data):
    first = data.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else None


def sip_options_udp(port, timeout=5.0):
    """(status, seconds) of an OPTIONS from 127.0.0.1 over UDP, sent again
    every 500 ms (RFC 3261 Timer E) like a real client: a flood may fill
    the endpoint's socket buffer, where the kernel drops datagrams."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        request = sip_options(port, "UDP", "127.0.0.1", sock.getsockname()[1])
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            sock.sendto(request, ("127.0.0.1", port))
            resend = min(deadline, time.monotonic() + 0.5)
            while time.monotonic() < resend:
                sock.settimeout(max(0.01, resend - time.monotonic()))
                try:
                    data = sock.recv(65535)
                except socket.timeout:
                    break
                status = _sip_status(data)
                if status is not None and status >= 200:
                    return status, time.monotonic() - started
    return None, time.monotonic() - started


def sip_options_tcp(port, tls=None, timeout=5.0):
    """(status, seconds) of an OPTIONS over a new TCP (or TLS) connection."""
    started = time.monotonic()
    deadline = started + timeout
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw, \
                (tls.wrap_socket(raw, server_hostname="127.0.0.1") if tls else raw) as sock:
            local_port = sock.getsockname()[1]
            sock.sendall(sip_options(port, "TLS" if tls else "TCP", "127.0.0.1", local_port))
            data = b""
            while time.monotonic() < deadline and b"\r\n\r\n" not in data:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            return _sip_status(data), time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started


if __name__ == "__main__":
    unittest.main()
