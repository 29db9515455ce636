"""`acs-sim run SCENARIO` against the real cwmp-agent: a scenario that
passes (in-process simulator, so every event code is visible), and one
that expects a wrong value and must make `acs-sim run` exit 1 (against a
running acs-sim through --nbi). A malformed scenario exits 2."""
import json
import os
import subprocess
import unittest
import uuid

from phonecwmp_harness import Harness, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
MODEL_NAME = "Device.DeviceInfo.ModelName"
CR_USERNAME = "Device.ManagementServer.ConnectionRequestUsername"
CR_PASSWORD = "Device.ManagementServer.ConnectionRequestPassword"
CR_SECRET = "scenario-secret"
RUN_TIMEOUT = 120  # seconds; every scenario below bounds itself well within it


class AcsSimScenarios(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.serial = "SCN" + uuid.uuid4().hex[:10].upper()
        self.model_name = "Model " + self.serial
        self.acs_sim = os.path.join(self.harness.bin_dir, "acs-sim")

    def _agent_values(self):
        return {
            "Device.DeviceInfo.SerialNumber": self.serial,
            MODEL_NAME: self.model_name,
            "Device.ManagementServer.PeriodicInformEnable": "true",
            INTERVAL: "2",
            CR_USERNAME: "acs",
            CR_PASSWORD: CR_SECRET,
        }

    def _scenario_file(self, scenario):
        path = os.path.join(self.harness.workdir, f"scenario-{uuid.uuid4().hex[:6]}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(scenario, f)
        return path

    def _wait_for_exit(self, process, name):
        try:
            return process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"acs-sim run did not finish in {RUN_TIMEOUT} s:\n" + self.harness.log(name))

    def test_a_scenario_passes_against_the_real_agent(self):
        scenario = {
            "name": "agent provisioning",
            "timeout": 90,
            "device": {"query": {"_deviceId._SerialNumber": self.serial}, "timeout": 30},
            "steps": [
                {"name": "set the periodic interval",
                 "task": {"name": "setParameterValues",
                          "parameterValues": [[INTERVAL, 3, "xsd:unsignedInt"]]}},
                {"expect_values": {INTERVAL: 3, MODEL_NAME: {"regex": "^Model SCN"}}},
                {"name": "an unknown parameter faults 9005",
                 "task": {"name": "getParameterValues",
                          "parameterNames": ["Device.DeviceInfo.NoSuchParameter"]},
                 "expect_fault": 9005},
                {"expect_inform": {"events": ["2 PERIODIC"]}, "timeout": 20},
            ],
        }
        ready = os.path.join(self.harness.workdir, "run.ready.json")
        run = self.harness._spawn("acs-sim-run", [
            self.acs_sim, "run", self._scenario_file(scenario),
            "--cwmp-listen", "127.0.0.1:0", "--ready-file", ready, "--log-level", "info",
            "--cr-username", "acs", "--cr-password", CR_SECRET])

        def cwmp_url():
            if run.poll() is not None:
                self.fail("acs-sim run exited early:\n" + self.harness.log("acs-sim-run"))
            try:
                with open(ready, encoding="utf-8") as f:
                    return json.load(f)["cwmp"]["url"]
            except (OSError, ValueError, KeyError):
                return None

        url = wait_for("acs-sim run to listen", cwmp_url, timeout=15)
        self.harness.start_agent(url, self._agent_values())
        status = self._wait_for_exit(run, "acs-sim-run")
        output = self.harness.log("acs-sim-run")
        self.assertEqual(status, 0, output + "\n---- agent ----\n" + self.harness.log("cwmp-agent"))
        self.assertIn("step 1/4 PASS  set the periodic interval", output)
        self.assertIn("faulted as expected: cwmp.9005", output)
        self.assertIn("PASSED: 4 steps", output)
        # The agent's credentials were given: tasks ran through connection requests.
        self.assertNotIn("note: connection request", output)
        self.assertRegex(output, rf"connection request to \S+-{self.serial} accepted")
        self.assertFalse(os.path.exists(ready), "the ready file outlived the run")

    def test_a_wrong_expected_value_makes_run_exit_non_zero(self):
        self.harness.start_acs_sim()
        self.harness.start_agent(self.harness.acs_url, self._agent_values())
        scenario = {
            "timeout": 60,
            "device": {"query": {"_deviceId._SerialNumber": self.serial}, "timeout": 30},
            "steps": [
                {"expect_values": {MODEL_NAME: self.model_name}},
                {"name": "wrong model", "expect_values": {MODEL_NAME: "Not The Model"}},
                {"task": {"name": "reboot"}},
            ],
        }
        result = subprocess.run(
            [self.acs_sim, "run", self._scenario_file(scenario),
             "--nbi", f"http://{self.harness.nbi_endpoint}"],
            capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("step 1/3 PASS", result.stdout)
        self.assertIn("step 2/3 FAIL  wrong model", result.stdout)
        self.assertIn(f'{MODEL_NAME} is "{self.model_name}", expected "Not The Model"',
                      result.stdout)
        self.assertNotIn("step 3/3", result.stdout)
        # The reboot after the failure never reached the agent.
        self.assertNotIn("<- Reboot", self.harness.log("cwmp-agent"))

    def test_a_malformed_scenario_exits_two_naming_the_step(self):
        path = self._scenario_file({"device": {"id": "X"},
                                    "steps": [{"sleep": 1}, {"expect_values": {"A.B": None}}]})
        result = subprocess.run([self.acs_sim, "run", path], capture_output=True, text=True,
                                timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn('step 2, "expect_values"["A.B"]: must be a value', result.stderr)


if __name__ == "__main__":
    unittest.main()
