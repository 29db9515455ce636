"""Connection requests with the real binaries: `curl --digest` on the
ConnectionRequestURL the agent published starts a session whose Inform
carries "6 CONNECTION REQUEST"; a wrong password gets 401 and no session.
acs-sim's NBI does not expose Inform events, so its log ("Inform from ...
events=[...]") and the device's _lastInform tell when a session happened."""
import os
import socket
import time
import unittest
import uuid

from phonecwmp_harness import Harness, curl_digest, parameter, wait_for

CR_URL = "Device.ManagementServer.ConnectionRequestURL"
USERNAME = "acs-" + uuid.uuid4().hex[:6]
PASSWORD = "pw-" + uuid.uuid4().hex
EVENT = "6 CONNECTION REQUEST"


def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class ConnectionRequest(unittest.TestCase):
    def start(self, cr_listen):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim()
        self.serial = "CR" + uuid.uuid4().hex[:10].upper()
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.ConnectionRequestUsername": USERNAME,
            "Device.ManagementServer.ConnectionRequestPassword": PASSWORD,
        }, options=["--cr-listen", cr_listen])
        device = wait_for("the agent's first Inform with its ConnectionRequestURL",
                          lambda: self._device_with_url(), timeout=30)
        self.url = parameter(device, CR_URL)["_value"]
        # The boot session has ended once acs-sim logged its end; a request
        # now gets a session of its own.
        wait_for("the boot session to end", self._idle, timeout=30)

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def _device(self):
        return self.harness.device_by_serial(
            self.serial, projection=f"{CR_URL},_lastInform,_deviceId")

    def _device_with_url(self):
        device = self._device()
        leaf = parameter(device, CR_URL) if device else None
        return device if leaf and leaf.get("_value") else None

    def _idle(self):
        return "session: ended by the ACS" in self.harness.log("cwmp-agent")

    def _connection_request_informs(self):
        return sum(1 for line in self.harness.log("acs-sim").splitlines()
                   if "Inform from" in line and EVENT in line)

    def _check_request_starts_a_session(self):
        self.assertEqual(self._connection_request_informs(), 0)
        before = self._device()["_lastInform"]
        self.assertEqual(curl_digest(self.url, USERNAME, PASSWORD), 200)
        wait_for("an Inform with 6 CONNECTION REQUEST",
                 lambda: self._connection_request_informs() == 1, timeout=30)
        wait_for("_lastInform to move", lambda: self._device()["_lastInform"] != before,
                 timeout=10)

    def test_curl_digest_starts_a_session_and_a_wrong_password_does_not(self):
        self.start("127.0.0.1:0")
        self.assertTrue(self.url.startswith("http://127.0.0.1:"), self.url)
        self._check_request_starts_a_session()

        last_inform = self._device()["_lastInform"]
        self.assertEqual(curl_digest(self.url, USERNAME, PASSWORD + "x"), 401)
        self.assertEqual(curl_digest(self.url, "someone-else", PASSWORD), 401)
        # Nothing may follow: watch for a while (a negative check cannot end
        # sooner), then compare.
        time.sleep(2)
        self.assertEqual(self._connection_request_informs(), 1)
        self.assertEqual(self._device()["_lastInform"], last_inform)
        self.assertIn("wrong response (password) -> 401", self.harness.log("cwmp-agent"))

    @unittest.skipUnless(ipv6_loopback_available(), "no IPv6 loopback on this machine")
    def test_ipv6_listener(self):
        self.start("[::1]:0")
        self.assertTrue(self.url.startswith("http://[::1]:"), self.url)
        self._check_request_starts_a_session()


if __name__ == "__main__":
    unittest.main()
