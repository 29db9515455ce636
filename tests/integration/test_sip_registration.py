"""REGISTER with the real cwmp-agent against Debian's sipp as the registrar
(tests/integration/sipp/uas_registrar.xml): the first REGISTER is
challenged, the credentialed one must carry Authorization and is accepted
with Expires (right password) or refused with 403 (wrong password). The
line's Device.Services.VoiceService.1.SIP.Client.1.Status is read back
through acs-sim's NBI: Up once registered, Error_Registration when refused.
UDP and TCP. Skipped when sipp is missing."""
import os
import subprocess
import tempfile
import unittest

from phonecwmp_harness import HarnessError, parameter, wait_for
from test_sip_endpoint import (NETWORK, SCENARIOS, SIPP, SipAgentFixture,
                               free_udp_and_tcp_port)

CLIENT = "Device.Services.VoiceService.1.SIP.Client.1."


@unittest.skipIf(SIPP is None, "sipp is not installed (Debian package sip-tester)")
class SipRegistration(SipAgentFixture, unittest.TestCase):
    def start_registrar(self, transport):
        """sipp as a one-shot registrar on a free loopback port."""
        self.registrar_port = free_udp_and_tcp_port()
        scratch = tempfile.TemporaryDirectory(prefix="sipp-registrar-")
        self.addCleanup(scratch.cleanup)
        workdir = scratch.name
        self.registrar = subprocess.Popen(
            [SIPP, "-sf", os.path.join(SCENARIOS, "uas_registrar.xml"), "-i", "127.0.0.1",
             "-p", str(self.registrar_port), "-t", transport, "-m", "1", "-nostdin",
             "-timeout", "60", "-timeout_error", "-trace_err",
             "-error_file", os.path.join(workdir, "sipp.err")],
            cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def stop():
            if self.registrar.poll() is None:
                self.registrar.kill()
            self.registrar.wait(timeout=10)
        self.addCleanup(stop)

    def start_line(self, transport, password):
        self.start({NETWORK + "RegistrarServer": "127.0.0.1",
                    NETWORK + "RegistrarServerPort": self.registrar_port,
                    NETWORK + "RegistrarServerTransport": transport,
                    NETWORK + "RegisterExpires": 600,
                    NETWORK + "RegisterRetryInterval": 300,
                    CLIENT + "Enable": "true",
                    CLIENT + "RegisterURI": "sip:1000@phonecwmp.test",
                    CLIENT + "AuthUserName": "1000",
                    CLIENT + "AuthPassword": password}, acs=True)

    def client_status(self):
        """SIP.Client.1.Status as the agent reports it now, over CWMP."""
        path = CLIENT + "Status"
        self.run_task({"name": "getParameterValues", "parameterNames": [path]})
        device = self.harness.device_by_serial(self.serial, projection="_deviceId," + path)
        leaf = parameter(device, path) if device else None
        if leaf is None:
            raise HarnessError(f"acs-sim has no value of {path}")
        return leaf["_value"]

    def wait_for_status(self, wanted):
        seen = []

        def reached():
            seen.append(self.client_status())
            return seen[-1] == wanted
        try:
            wait_for(f"SIP.Client.1.Status {wanted}", reached, timeout=40, interval=0.5)
        except HarnessError as error:
            raise AssertionError(f"{error}; statuses seen: {seen[-5:]}") from error

    def registers(self, sipp_transport, transport):
        self.start_registrar(sipp_transport)
        self.start_line(transport, "secret")
        self.wait_for_status("Up")
        self.assertEqual(self.registrar.wait(timeout=30), 0,
                         "sipp saw the challenge answered with valid credentials")
        self.assertRegex(self.harness.log("cwmp-agent"),
                         r"SIP registered sip:1000@phonecwmp\.test at 127\.0\.0\.1 for 600 s")

    def test_udp_registration_goes_up(self):
        self.registers("u1", "UDP")

    def test_tcp_registration_goes_up(self):
        self.registers("t1", "TCP")

    def test_wrong_password_is_error_registration(self):
        self.start_registrar("u1")
        self.start_line("UDP", "not-the-password")
        self.wait_for_status("Error_Registration")
        self.assertIn("403", self.harness.log("cwmp-agent"))


if __name__ == "__main__":
    unittest.main()
