"""acs-sim's download task with the real agent: a file PUT on the NBI, a
{"name": "download", "file": ...} task with ?connection_request answered
200 once the agent's TransferComplete arrived (the ringer file lands in the
agent's state folder, GET /tasks no longer lists the task), and a download
the agent refuses (a file type it does not handle) ends in /faults."""
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import unittest
import uuid

from phonecwmp_harness import Harness, parameter, wait_for

CR_URL = "Device.ManagementServer.ConnectionRequestURL"
CR_USER = "cr-" + uuid.uuid4().hex[:6]
CR_PASSWORD = "pw-" + uuid.uuid4().hex
RINGER = b"RIFF" + os.urandom(2000)


class AcsSimDownloads(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(lambda: self.harness.print_logs_if_failed(self))
        self.harness.start_acs_sim(options=["--fs-listen", "127.0.0.1:0",
                                            "--cr-username", CR_USER, "--cr-password", CR_PASSWORD])
        self.serial = "DL" + uuid.uuid4().hex[:10].upper()
        self.state_dir = os.path.join(self.harness.workdir, "agent-state")
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.ConnectionRequestUsername": CR_USER,
            "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
        }, state_dir=self.state_dir)
        device = wait_for("the agent's first Inform with its ConnectionRequestURL",
                          self._device_with_url, timeout=30)
        self.device_id = device["_id"]
        wait_for("the boot session to end",
                 lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent"),
                 timeout=30)

    def _device_with_url(self):
        device = self.harness.device_by_serial(self.serial, projection=f"{CR_URL},_deviceId")
        leaf = parameter(device, CR_URL) if device else None
        return device if leaf and leaf.get("_value") else None

    def upload(self, name, content, file_type):
        request = urllib.request.Request(
            f"http://{self.harness.nbi_endpoint}/files/{urllib.parse.quote(name)}",
            data=content, method="PUT", headers={"fileType": file_type})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.status, 201)

    def post_task(self, query, task):
        return self.harness.nbi(
            "POST", f"/devices/{urllib.parse.quote(self.device_id, safe='')}/tasks{query}", task)

    def test_a_download_is_200_once_the_transfer_completed(self):
        self.upload("ring.wav", RINGER, "5 Ringer File")
        status, body = self.post_task("?connection_request&timeout=30000",
                                      {"name": "download", "file": "ring.wav"})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["name"], "download")
        self.assertEqual(body["fileType"], "5 Ringer File")
        self.assertEqual(self.harness.pending_tasks(self.device_id), [])
        with open(os.path.join(self.state_dir, "files", "ringers", "ring.wav"), "rb") as f:
            self.assertEqual(f.read(), RINGER)
        # The Inform that carried the TransferComplete, recorded as usual.
        log = self.harness.log("acs-sim")
        self.assertIn("7 TRANSFER COMPLETE", log)
        self.assertIn("download done", log)

        status, body = self.post_task("", {"name": "download", "file": "absent.wav"})
        self.assertEqual(status, 400, body)
        self.assertIn("absent.wav", body)

    def test_a_download_the_agent_refuses_ends_in_faults(self):
        self.upload("page.html", b"<html></html>", "2 Web Content")
        status, body = self.post_task("?connection_request&timeout=30000",
                                      {"name": "download", "file": "page.html"})
        self.assertEqual(status, 202, body)
        task_id = body["_id"]
        self.assertEqual(body["fault"]["code"], "cwmp.9010", body)
        status, faults = self.harness.nbi("GET", "/faults")
        self.assertEqual(status, 200, faults)
        ids = [fault["_id"] for fault in faults]
        self.assertIn(f"{self.device_id}:task_{task_id}", ids, json.dumps(faults))


if __name__ == "__main__":
    unittest.main()
