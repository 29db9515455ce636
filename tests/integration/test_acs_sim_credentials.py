"""acs-sim's --cpe-credentials with real agents: under --cpe-auth digest
each device authenticates with its own user name and password, so device A
with its right password informs and device B with a wrong one gets 401 and
never appears in /devices; the file's per-device connection-request
credentials replace --cr-username/--cr-password; a malformed file stops
acs-sim at start with exit status 2 and a message naming the problem."""
import json
import os
import subprocess
import urllib.parse
import unittest
import uuid

from phonecwmp_harness import Harness, parameter, wait_for

CR_URL = "Device.ManagementServer.ConnectionRequestURL"


class AcsSimCredentials(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(lambda: self.harness.print_logs_if_failed(self))

    def write(self, name, text):
        path = os.path.join(self.harness.workdir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_each_device_authenticates_with_its_own_password(self):
        serial_a = "CA" + uuid.uuid4().hex[:10].upper()
        serial_b = "CB" + uuid.uuid4().hex[:10].upper()
        credentials = self.write("credentials.json", json.dumps({"devices": {
            serial_a: {"username": "phone-a", "password": "pw-a",
                       "connection_request": {"username": "cr-a", "password": "cr-pw-a"}},
            serial_b: {"username": "phone-b", "password": "pw-b"},
        }}))
        # The global connection-request password is wrong for A: only the
        # file's entry for A lets the connection request through.
        self.harness.start_acs_sim(options=[
            "--cpe-auth", "digest", "--cpe-credentials", credentials,
            "--cr-username", "cr-a", "--cr-password", "not-cr-pw-a"])
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": serial_a,
            "Device.ManagementServer.Username": "phone-a",
            "Device.ManagementServer.Password": "pw-a",
            "Device.ManagementServer.ConnectionRequestUsername": "cr-a",
            "Device.ManagementServer.ConnectionRequestPassword": "cr-pw-a",
        }, state_dir=os.path.join(self.harness.workdir, "agent-a"))
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": serial_b,
            "Device.ManagementServer.Username": "phone-b",
            "Device.ManagementServer.Password": "pw-a",
        }, state_dir=os.path.join(self.harness.workdir, "agent-b"))

        def device_a():
            device = self.harness.device_by_serial(serial_a, projection=f"{CR_URL},_deviceId")
            leaf = parameter(device, CR_URL) if device else None
            return device if leaf and leaf.get("_value") else None

        device = wait_for("device A's Inform", device_a, timeout=30)
        wait_for("acs-sim to refuse device B's password",
                 lambda: "CPE authentication failed: wrong response (password)"
                 in self.harness.log("acs-sim"), timeout=30)
        serials = [d["_deviceId"]["_SerialNumber"]
                   for d in self.harness.devices(projection="_deviceId")]
        self.assertEqual(serials, [serial_a])

        status, body = self.harness.nbi(
            "POST", f"/devices/{urllib.parse.quote(device['_id'], safe='')}/tasks"
            "?connection_request&timeout=20000",
            {"name": "getParameterValues", "parameterNames": [CR_URL]})
        self.assertEqual(status, 200, body)
        self.assertIsNone(self.harness.device_by_serial(serial_b))

    def test_a_malformed_file_stops_acs_sim_with_status_2(self):
        credentials = self.write("bad.json", '{"devices": {"SN1": {"username": "u"}}}')
        result = subprocess.run(
            [os.path.join(self.harness.bin_dir, "acs-sim"), "--cwmp-listen", "127.0.0.1:0",
             "--nbi-listen", "127.0.0.1:0", "--db", ":memory:", "--cpe-auth", "digest",
             "--cpe-credentials", credentials],
            capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        output = result.stdout + result.stderr
        self.assertIn("bad.json", output)
        self.assertIn("password must be a string", output)


if __name__ == "__main__":
    unittest.main()
