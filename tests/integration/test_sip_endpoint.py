"""The phone's SIP endpoint with the real cwmp-agent and the real sipp as the
calling UAC, on loopback: a call is answered (UDP and TCP), Auth INVITE
admits sipp's [authentication] and refuses a wrong password, the restricted
access domains answer the allowed source and drop another one (127.0.0.2)
silently, and a change made by acs-sim through its NBI takes effect on the
next call without restarting the agent.

"localhost" is the restricted domain: c-ares resolves it from /etc/hosts to
127.0.0.1 only, so no DNS server is needed. Skipped when sipp is missing.

SipAgentFixture is shared with test_sip_restricted_dns.py: the agent (and,
when asked, acs-sim with connection-request credentials, so that an NBI task
runs at once), sipp calls, and the live statistics read back over CWMP."""
import os
import shutil
import socket
import subprocess
import unittest
import urllib.parse
import uuid

from phonecwmp_harness import Harness, HarnessError, parameter, wait_for

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sipp")
NETWORK = "Device.Services.VoiceService.1.SIP.Network.1."
DOMAINS = "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains"
STATS = "Device.Services.VoiceService.1.SIP.X_PHONECWMP_Stats."
SIPP = shutil.which("sipp")
CR_USERNAME = "acs-" + uuid.uuid4().hex[:6]
CR_PASSWORD = "pw-" + uuid.uuid4().hex


def free_udp_and_tcp_port():
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
    raise RuntimeError("no free port")


class SipAgentFixture:
    """Mixed into a unittest.TestCase."""

    def start(self, values, acs=False):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.port = free_udp_and_tcp_port()
        self.serial = "SIP" + uuid.uuid4().hex[:9].upper()
        all_values = {NETWORK + "UserAgentPort": self.port,
                      "Device.DeviceInfo.SerialNumber": self.serial}
        all_values.update(values)
        if acs:
            self.harness.start_acs_sim(options=["--cr-username", CR_USERNAME,
                                                "--cr-password", CR_PASSWORD])
            acs_url = self.harness.acs_url
            all_values.update({"Device.ManagementServer.ConnectionRequestUsername": CR_USERNAME,
                               "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
                               "Device.ManagementServer.PeriodicInformEnable": "true",
                               "Device.ManagementServer.PeriodicInformInterval": 2})
        else:
            # Nothing listens there: the agent retries its ACS in the
            # background, which the SIP endpoint does not care about.
            acs_url = "http://127.0.0.1:9/"
        self.harness.start_agent(acs_url, all_values,
                                 options=["--sip-listen", "127.0.0.1"])
        wait_for("the SIP endpoint to listen",
                 lambda: "SIP endpoint listening" in self.harness.log("cwmp-agent"), timeout=15)
        if acs:
            self.device_id = wait_for("the agent's first Inform", self._device, timeout=30)["_id"]
            wait_for("the boot session to end",
                     lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent"),
                     timeout=30)

    def run_task(self, task):
        """Has acs-sim make a connection request and returns once the agent
        did `task`. The agent refuses connection requests beyond its rate
        limit (503, acs-sim answers 504 and keeps the task queued): the
        task then runs in the next periodic session (every 2 s)."""
        status, body = self.harness.nbi(
            "POST", "/devices/" + urllib.parse.quote(self.device_id, safe="")
            + "/tasks?connection_request&timeout=20000", task)
        if status == 504 and "HTTP 503" in str(body):
            def done():
                pending = self.harness.pending_tasks(self.device_id)
                faulted = [t for t in pending if t.get("fault")]
                if faulted:
                    raise HarnessError(f"task {task['name']} faulted: {faulted}")
                return not pending
            wait_for(f"task {task['name']} to run in a periodic session", done, timeout=30)
            return None
        if status != 200:
            raise HarnessError(f"task {task['name']} answered {status}: {body}")
        return body

    def set_values(self, values):
        """An SPV through the NBI, done before this returns. Python bools
        are sent as xsd:boolean, ints as xsd:unsignedInt, the rest as strings."""
        def typed(path, value):
            if isinstance(value, bool):
                return [path, "true" if value else "false", "xsd:boolean"]
            if isinstance(value, int):
                return [path, str(value), "xsd:unsignedInt"]
            return [path, value, "xsd:string"]
        self.run_task({"name": "setParameterValues",
                       "parameterValues": [typed(path, value) for path, value in values.items()]})

    def statistic(self, name):
        """X_PHONECWMP_Stats.<name> as the agent reports it now, over CWMP."""
        self.run_task({"name": "getParameterValues", "parameterNames": [STATS + name]})
        device = self.harness.device_by_serial(self.serial,
                                               projection=f"_deviceId,{STATS + name}")
        leaf = parameter(device, STATS + name) if device else None
        if leaf is None:
            raise HarnessError(f"acs-sim has no value of {STATS + name}")
        return int(leaf["_value"])

    def log_count(self, text):
        return sum(1 for line in self.harness.log("cwmp-agent").splitlines() if text in line)

    def _dump_logs_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print("---- cwmp-agent log ----\n" + self.harness.log("cwmp-agent")[-6000:])

    def sipp(self, source="127.0.0.1", scenario=None, transport="u1", password=None,
             wait_ms=3000):
        """Runs one call; True when sipp's scenario completed."""
        args = [SIPP, f"127.0.0.1:{self.port}", "-i", source, "-p", "0", "-m", "1",
                "-t", transport, "-nostdin", "-recv_timeout", str(wait_ms),
                "-timeout", str(wait_ms // 1000 + 5), "-timeout_error",
                "-trace_err", "-error_file", os.path.join(self.harness.workdir, "sipp.err")]
        args += ["-sf", os.path.join(SCENARIOS, scenario)] if scenario else ["-sn", "uac"]
        if password is not None:
            args += ["-au", "alice", "-ap", password]
        result = subprocess.run(args, cwd=self.harness.workdir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=wait_ms / 1000 + 20,
                                check=False)
        return result.returncode == 0

    def _device(self):
        return self.harness.device_by_serial(self.serial, projection="_deviceId")


@unittest.skipIf(SIPP is None, "sipp is not installed (Debian package sip-tester)")
class SipEndpoint(SipAgentFixture, unittest.TestCase):
    def test_udp_call_is_answered(self):
        self.start({})
        self.assertTrue(self.sipp(), "INVITE/ACK/BYE over UDP")

    def test_tcp_call_is_answered(self):
        self.start({NETWORK + "UserAgentTransport": "TCP"})
        self.assertTrue(self.sipp(transport="t1"), "INVITE/ACK/BYE over TCP")
        self.assertFalse(self.sipp(transport="u1", wait_ms=1000), "UDP is not listened on")

    def test_auth_invite_admits_the_right_password_only(self):
        self.start({NETWORK + "InboundAuth": "Digest", NETWORK + "InboundAuthUsername": "alice",
                    NETWORK + "InboundAuthPassword": "secret"})
        self.assertTrue(self.sipp(scenario="uac_auth.xml", password="secret"))
        self.assertTrue(self.sipp(scenario="uac_auth_refused.xml", password="wrong"),
                        "a wrong password gets 403")
        self.assertFalse(self.sipp(wait_ms=1500), "an INVITE without credentials is not answered 200")
        self.assertIn("wrong response", self.harness.log("cwmp-agent"))

    def test_restricted_domains_drop_other_sources_silently(self):
        self.start({DOMAINS: "localhost"})
        wait_for("localhost to resolve",
                 lambda: "resolved to" in self.harness.log("cwmp-agent"), timeout=15)
        self.assertTrue(self.sipp(source="127.0.0.1"), "the domain's address is answered")
        self.assertFalse(self.sipp(source="127.0.0.2", wait_ms=1500), "another source gets nothing")
        self.assertRegex(self.harness.log("cwmp-agent"),
                         r"SIP request from UDP 127\.0\.0\.2:\d+ dropped: not a restricted access "
                         r"domain address")

    def test_acs_switches_auth_invite_on_live(self):
        self.start({"Device.ManagementServer.PeriodicInformEnable": "true",
                    "Device.ManagementServer.PeriodicInformInterval": 2,
                    NETWORK + "InboundAuthUsername": "alice",
                    NETWORK + "InboundAuthPassword": "secret"}, acs=True)
        self.assertTrue(self.sipp(), "InboundAuth None: answered without a challenge")
        self.harness.queue_task(self.device_id, {
            "name": "setParameterValues",
            "parameterValues": [[NETWORK + "InboundAuth", "Digest", "xsd:string"]],
        })
        wait_for("the SPV to run", lambda: self.harness.pending_tasks(self.device_id) == [],
                 timeout=45)
        self.assertFalse(self.sipp(wait_ms=1500), "now challenged")
        self.assertTrue(self.sipp(scenario="uac_auth.xml", password="secret"))
        self.assertEqual(sum(1 for line in self.harness.log("cwmp-agent").splitlines()
                             if "SIP endpoint listening" in line), 1,
                         "the policy changed without rebinding or restarting")

    def test_acs_switches_each_setting_live_in_turn(self):
        """One agent, no restart: every NBI change shows on the next call."""
        self.start({NETWORK + "InboundAuthUsername": "alice",
                    NETWORK + "InboundAuthPassword": "secret"}, acs=True)
        self.assertTrue(self.sipp(source="127.0.0.2"), "no restriction: any source is answered")

        resolved = self.log_count("localhost resolved to")
        self.set_values({DOMAINS: "localhost"})
        wait_for("localhost to resolve", lambda: self.log_count("localhost resolved to") > resolved,
                 timeout=15)
        dropped = self.statistic("RestrictedDomainsDropped")
        self.assertFalse(self.sipp(source="127.0.0.2", wait_ms=1500), "restricted: dropped")
        self.assertTrue(self.sipp(source="127.0.0.1"), "restricted: the domain's address passes")
        self.assertGreater(self.statistic("RestrictedDomainsDropped"), dropped)
        self.set_values({DOMAINS: ""})
        self.assertTrue(self.sipp(source="127.0.0.2"), "restriction off again")

        challenges = self.statistic("ChallengesSent")
        self.set_values({NETWORK + "InboundAuth": "Digest"})
        self.assertFalse(self.sipp(wait_ms=1500), "Digest: an INVITE without credentials fails")
        self.assertTrue(self.sipp(scenario="uac_auth.xml", password="secret"))
        self.assertGreater(self.statistic("ChallengesSent"), challenges)
        self.set_values({NETWORK + "InboundAuth": "None"})
        self.assertTrue(self.sipp(), "Digest off again: answered without a challenge")

        self.set_values({NETWORK + "UserAgentTransport": "TCP"})
        self.assertTrue(self.sipp(transport="t1"), "now over TCP")
        self.assertFalse(self.sipp(transport="u1", wait_ms=1000), "UDP no longer answers")
        self.assertEqual(self.log_count("SIP endpoint listening"), 2,
                         "only the transport change rebound the listener")
        self.assertIn("SIP endpoint listening on TCP", self.harness.log("cwmp-agent"))
        self.assertGreaterEqual(self.statistic("CallsAnswered"), 6)


if __name__ == "__main__":
    unittest.main()
