"""acs-sim keeps its registry in SQLite: a preset applied on 0 BOOTSTRAP
reaches a real agent, and after a restart of acs-sim its devices, tasks and
presets are all still there. A database file that is not one stops acs-sim
at startup with a message naming the problem."""
import os
import subprocess
import unittest
import urllib.parse
import uuid

from phonecwmp_harness import Harness, parameter, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
PRESET = "bootstrap-interval"


class AcsSimPersistence(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.db = os.path.join(self.harness.workdir, "registry.sqlite")

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def _device(self, serial):
        return self.harness.device_by_serial(serial)

    def _start_agent(self, serial, state):
        return self.harness.start_agent(self.harness.acs_url,
                                        {"Device.DeviceInfo.SerialNumber": serial},
                                        os.path.join(self.harness.workdir, state))

    def _wait_sessions_ended(self, run, count=1):
        wait_for(f"{count} session(s) of agent run {run} to end",
                 lambda: self.harness.log("cwmp-agent", run).count("session: ended by the ACS")
                 >= count, timeout=30)

    def test_bootstrap_preset_reaches_the_agent_and_everything_survives_a_restart(self):
        acs = self.harness.start_acs_sim(db=self.db)
        suffix = uuid.uuid4().hex[:8].upper()
        first_serial, second_serial = "PA" + suffix, "PB" + suffix

        # A device known before the preset exists: not provisioned by it.
        first_agent = self._start_agent(first_serial, "state-a")
        first = wait_for("the first agent's Inform", lambda: self._device(first_serial), timeout=30)
        self._wait_sessions_ended(1)
        self.harness.stop(first_agent)
        product_class = first["_deviceId"]["_ProductClass"]

        preset = {
            "weight": 0, "channel": "default", "events": {"0 BOOTSTRAP": True},
            "precondition": '{"_deviceId._ProductClass": "%s"}' % product_class,
            "configurations": [{"type": "value", "name": INTERVAL, "value": "300"}],
        }
        status, body = self.harness.nbi("PUT", "/presets/" + PRESET, preset)
        self.assertEqual(status, 200, body)
        status, body = self.harness.nbi("PUT", "/presets/broken", {"events": ["0 BOOTSTRAP"]})
        self.assertEqual(status, 400)
        self.assertIn("events", body["error"])

        # A fresh agent bootstraps and gets the preset's value in that session.
        second_agent = self._start_agent(second_serial, "state-b")
        self._wait_sessions_ended(2)
        self.assertIn(f"<- SetParameterValues {INTERVAL}=300", self.harness.log("cwmp-agent", 2))
        self.assertIn(f"presets [{PRESET}]", self.harness.log("acs-sim"))
        second_id = self._device(second_serial)["_id"]
        self.harness.stop(second_agent)

        # The agent kept it: a GetParameterValues in its next (1 BOOT) session
        # reads 300 back, and the preset is not applied again.
        self.harness.queue_task(second_id, {"name": "getParameterValues",
                                            "parameterNames": [INTERVAL]})
        third_agent = self._start_agent(second_serial, "state-b")
        wait_for("the GetParameterValues task to run",
                 lambda: self.harness.pending_tasks(second_id) == [], timeout=30)
        self._wait_sessions_ended(3)
        leaf = parameter(self.harness.devices(query={"_id": second_id})[0], INTERVAL)
        self.assertEqual(leaf["_value"], 300, leaf)
        self.assertEqual(leaf["_type"], "xsd:unsignedInt")
        self.assertNotIn("<- SetParameterValues", self.harness.log("cwmp-agent", 3))
        self.harness.stop(third_agent)

        # A task for the device whose agent is gone stays pending.
        first_id = first["_id"]
        task = self.harness.queue_task(first_id, {"name": "reboot"})

        # Restart acs-sim on the same file: a clean stop writes everything.
        self.harness.stop(acs)
        self.assertEqual(acs.returncode, 0, self.harness.log("acs-sim", 1))
        restarted = self.harness.start_acs_sim(db=self.db)
        self.assertIn("2 devices", self.harness.log("acs-sim", 2))

        ids = sorted(device["_id"] for device in self.harness.devices())
        self.assertEqual(ids, sorted([first_id, second_id]))
        leaf = parameter(self.harness.devices(query={"_id": second_id})[0], INTERVAL)
        self.assertEqual(leaf["_value"], 300, leaf)
        self.assertIn("_timestamp", leaf)
        tasks = self.harness.pending_tasks(first_id)
        self.assertEqual([t["_id"] for t in tasks], [task["_id"]])
        self.assertEqual(tasks[0]["name"], "reboot")
        status, presets = self.harness.nbi("GET", "/presets")
        self.assertEqual(status, 200)
        self.assertEqual([p["_id"] for p in presets], [PRESET])
        self.assertEqual(presets[0]["configurations"], preset["configurations"])

        # Deleting a device is durable too.
        status, _ = self.harness.nbi("DELETE", "/devices/" + urllib.parse.quote(first_id, safe=""))
        self.assertEqual(status, 200)
        self.harness.stop(restarted)
        self.harness.start_acs_sim(db=self.db)
        self.assertEqual([d["_id"] for d in self.harness.devices()], [second_id])
        self.assertEqual(self.harness.pending_tasks(first_id), [])

    def test_a_file_that_is_not_a_database_stops_acs_sim_with_a_clear_error(self):
        with open(self.db, "wb") as f:
            f.write(os.urandom(8192))
        result = subprocess.run(
            [os.path.join(self.harness.bin_dir, "acs-sim"), "--db", self.db,
             "--cwmp-listen", "127.0.0.1:0", "--nbi-listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
        output = result.stdout.decode(errors="replace")
        self.assertEqual(result.returncode, 1, output)
        self.assertIn(self.db, output)
        self.assertIn("not a database", output)


if __name__ == "__main__":
    unittest.main()
