"""acs-sim's CWMP endpoint over HTTPS (--tls-cert/--tls-key) with the real
cwmp-agent: the agent trusts the certificate through --ca-file, informs over
https with Basic authentication (allowed over HTTPS without
--allow-basic-over-http) and runs a task call; an agent that does not trust
the certificate is refused at the handshake; Basic over plain HTTP still
stops acs-sim at startup. Certificates are made with the `openssl` command
in the harness's temporary folder."""
import os
import shutil
import subprocess
import unittest
import urllib.parse
import uuid

from phonecwmp_harness import Harness, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
CR_PASSWORD = "cr-" + uuid.uuid4().hex


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1; returns (certificate, key)."""
    certificate = os.path.join(folder, "acs.pem")
    key = os.path.join(folder, "acs.key")
    result = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl req failed:\n" + result.stdout.decode())
    return certificate, key


@unittest.skipUnless(shutil.which("openssl"), "the openssl command is not installed")
class AcsSimHttps(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.certificate, self.key = make_certificate(self.harness.workdir)
        self.serial = "TLS" + uuid.uuid4().hex[:10].upper()

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def start_tls_acs_sim(self):
        self.harness.start_acs_sim(db=":memory:", options=[
            "--tls-cert", self.certificate, "--tls-key", self.key,
            "--cpe-auth", "basic", "--cpe-username", "phone", "--cpe-password", "pw1",
            "--cr-username", "cr", "--cr-password", CR_PASSWORD])
        return self.harness.acs_ready

    def device(self):
        query = {"_deviceId._SerialNumber": self.serial}
        devices = self.harness.devices(query=query, projection="_lastEvents,_lastBootstrap")
        return devices[0] if devices else None

    def test_agent_informs_over_https_with_basic_authentication(self):
        info = self.start_tls_acs_sim()
        url = info["cwmp"]["url"]
        self.assertTrue(url.startswith("https://127.0.0.1:"), url)
        self.harness.start_agent(url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.Username": "phone",
            "Device.ManagementServer.Password": "pw1",
            "Device.ManagementServer.ConnectionRequestUsername": "cr",
            "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
        }, options=["--ca-file", self.certificate])
        device = wait_for("the agent's Inform over https", self.device, timeout=30)
        codes = [event["code"] for event in device["_lastEvents"]]
        self.assertIn("0 BOOTSTRAP", codes)
        self.assertIn("_lastBootstrap", device)

        status, body = self.harness.nbi(
            "POST", "/devices/" + urllib.parse.quote(device["_id"], safe="")
            + "/tasks?connection_request&timeout=10000",
            {"name": "getParameterValues", "parameterNames": [INTERVAL]})
        self.assertEqual(status, 200, body)
        log = self.harness.log("acs-sim")
        self.assertIn("(HTTPS)", log)
        self.assertNotIn("CPE authentication failed", log)
        self.assertNotIn("TLS handshake failed", log)

    def test_an_agent_that_does_not_trust_the_certificate_is_refused(self):
        info = self.start_tls_acs_sim()
        self.harness.start_agent(info["cwmp"]["url"], {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.Username": "phone",
            "Device.ManagementServer.Password": "pw1",
        })
        wait_for("acs-sim to refuse the handshake",
                 lambda: "TLS handshake failed" in self.harness.log("acs-sim"), timeout=30)
        self.assertIsNone(self.device())

    def test_basic_over_plain_http_still_stops_acs_sim(self):
        result = subprocess.run(
            [os.path.join(self.harness.bin_dir, "acs-sim"), "--cwmp-listen", "127.0.0.1:0",
             "--nbi-listen", "127.0.0.1:0", "--db", ":memory:", "--cpe-auth", "basic",
             "--cpe-username", "phone", "--cpe-password", "pw1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, check=False)
        self.assertEqual(result.returncode, 1, result.stdout.decode())
        self.assertIn("--tls-cert", result.stdout.decode())


if __name__ == "__main__":
    unittest.main()
