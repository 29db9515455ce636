"""acs-sim's NBI task calls with the real binaries: POST
/devices/<id>/tasks?connection_request makes a Digest connection request to
the agent's ConnectionRequestURL and answers 200 once the task was done in
the session it triggered; a wrong connection-request password is 504; an
unknown device 404; a task without ?connection_request 202 (queued). And
--cpe-auth digest: the agent authenticates with its ManagementServer
credentials; a wrong password is refused."""
import os
import urllib.parse
import unittest
import uuid

from phonecwmp_harness import Harness, parameter, wait_for

CR_URL = "Device.ManagementServer.ConnectionRequestURL"
INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
USERNAME = "acs-" + uuid.uuid4().hex[:6]
PASSWORD = "pw-" + uuid.uuid4().hex


def quoted(device_id):
    return urllib.parse.quote(device_id, safe="")


class AcsSimNbiTaskCalls(unittest.TestCase):
    def start(self, acs_password, acs_options=(), agent_values=None):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim(options=["--cr-username", USERNAME, "--cr-password",
                                            acs_password] + list(acs_options))
        self.serial = "NBI" + uuid.uuid4().hex[:10].upper()
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.ConnectionRequestUsername": USERNAME,
            "Device.ManagementServer.ConnectionRequestPassword": PASSWORD,
            **(agent_values or {}),
        }, options=["--cr-listen", "127.0.0.1:0"])
        device = wait_for("the agent's first Inform with its ConnectionRequestURL",
                          self._device_with_url, timeout=30)
        self.device_id = device["_id"]
        wait_for("the boot session to end",
                 lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent"),
                 timeout=30)

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def _device(self):
        return self.harness.device_by_serial(
            self.serial, projection=f"{CR_URL},{INTERVAL},_deviceId")

    def _device_with_url(self):
        device = self._device()
        leaf = parameter(device, CR_URL) if device else None
        return device if leaf and leaf.get("_value") else None

    def post_task(self, device_id, query, task):
        return self.harness.nbi("POST", f"/devices/{quoted(device_id)}/tasks{query}", task)

    def test_task_calls_answer_200_404_and_202(self):
        self.start(PASSWORD)
        status, body = self.post_task(self.device_id, "?connection_request&timeout=10000", {
            "name": "setParameterValues",
            "parameterValues": [[INTERVAL, 1234, "xsd:unsignedInt"]]})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["name"], "setParameterValues")
        self.assertEqual(parameter(self._device(), INTERVAL)["_value"], 1234)

        status, body = self.post_task(self.device_id, "?connection_request", {
            "name": "getParameterValues", "parameterNames": [CR_URL]})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.harness.pending_tasks(self.device_id), [])

        # Without a task, 200 means the connection request was accepted; the
        # session it starts may still be running, and would take the task
        # queued below. Wait for it to end (boot + three sessions so far).
        status, body = self.post_task(self.device_id, "?connection_request", None)
        self.assertEqual(status, 200, body)
        wait_for("the session of the task-less connection request to end",
                 lambda: self.harness.log("acs-sim").count("info session end ") >= 4,
                 timeout=30)

        status, body = self.post_task("00256D-IPPhone-NOSUCH", "?connection_request",
                                      {"name": "reboot"})
        self.assertEqual(status, 404, body)

        status, body = self.post_task(self.device_id, "", {
            "name": "getParameterValues", "parameterNames": [INTERVAL]})
        self.assertEqual(status, 202, body)
        self.assertEqual(len(self.harness.pending_tasks(self.device_id)), 1)

    def test_a_wrong_connection_request_password_is_504(self):
        self.start(PASSWORD + "-wrong")
        status, body = self.post_task(self.device_id, "?connection_request", {
            "name": "getParameterValues", "parameterNames": [INTERVAL]})
        self.assertEqual(status, 504, body)
        self.assertIn("401", body)
        # The task stays queued for the device's next session.
        self.assertEqual(len(self.harness.pending_tasks(self.device_id)), 1)

    def test_digest_authentication_of_the_agent(self):
        acs_auth = ["--cpe-auth", "digest", "--cpe-username", "phone", "--cpe-password", "pw1"]
        self.start(PASSWORD, acs_auth, {"Device.ManagementServer.Username": "phone",
                                        "Device.ManagementServer.Password": "pw1"})
        # Every later session authenticates again on its own connection.
        status, body = self.post_task(self.device_id, "?connection_request", {
            "name": "getParameterValues", "parameterNames": [INTERVAL]})
        self.assertEqual(status, 200, body)
        self.assertNotIn("CPE authentication failed", self.harness.log("acs-sim"))

    def test_a_wrong_agent_password_is_refused(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim(options=["--cpe-auth", "digest", "--cpe-username", "phone",
                                            "--cpe-password", "pw1"])
        self.harness.start_agent(self.harness.acs_url, {
            "Device.ManagementServer.Username": "phone",
            "Device.ManagementServer.Password": "not-pw1"})
        wait_for("acs-sim to refuse the agent's credentials",
                 lambda: "CPE authentication failed" in self.harness.log("acs-sim"), timeout=30)
        self.assertEqual(self.harness.devices(), [])


if __name__ == "__main__":
    unittest.main()
