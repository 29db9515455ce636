"""Reboot and FactoryReset with the real binaries: a task queued on acs-sim's
northbound API reaches the agent in its next (periodic) session; the agent
answers, ends the session, restarts itself in place (same process id, a new
executable image), and its next Inform carries "1 BOOT" + "M Reboot" (resp.
"0 BOOTSTRAP" + "1 BOOT"). acs-sim logs event codes ("Inform from ...
events=[...]"); the agent logs them with their CommandKeys, which acs-sim
sets to the task's id. acs-sim has no scheduleInform task: ScheduleInform
is covered by the unit tests (lifecycle_agent_test.cpp)."""
import os
import unittest
import uuid

from phonecwmp_harness import Harness, wait_for

MARKER_VALUE = "4242"
INTERVAL = "Device.ManagementServer.PeriodicInformInterval"


class Lifecycle(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim()
        self.serial = "LC" + uuid.uuid4().hex[:10].upper()

    def start_agent(self, options=None):
        self.agent = self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.PeriodicInformEnable": "true",
            INTERVAL: "2",
        }, options=options)
        device = wait_for("the agent's first Inform", self._device, timeout=30)
        self.device_id = device["_id"]

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def _device(self):
        return self.harness.device_by_serial(self.serial, projection="_deviceId")

    def _informs(self):
        """The event lists of this device's Informs, in order, from acs-sim."""
        marker = f"Inform from {self.device_id} events=["
        lists = []
        for line in self.harness.log("acs-sim").splitlines():
            start = line.find(marker)
            if start >= 0:
                text = line[start + len(marker):line.index("]", start)]
                lists.append(text.split(",") if text else [])
        return lists

    def _informs_after_restart(self, informs_before):
        informs = self._informs()
        later = informs[informs_before:]
        return [events for events in later if "1 BOOT" in events]

    def _queue_and_wait_for_boot(self, task):
        informs_before = len(self._informs())
        queued = self.harness.queue_task(self.device_id, task)
        booted = wait_for("an Inform with 1 BOOT after the task",
                          lambda: self._informs_after_restart(informs_before), timeout=60)
        wait_for("the task to be done", lambda: self.harness.pending_tasks(self.device_id) == [],
                 timeout=30)
        # Restarted in place: the process acs-sim's harness started is the
        # one that informs again.
        self.assertIsNone(self.agent.poll(), "the agent exited instead of restarting in place")
        return queued, booted[0]

    def test_reboot_informs_boot_and_m_reboot_with_the_command_key(self):
        self.start_agent()
        queued, events = self._queue_and_wait_for_boot({"name": "reboot"})
        self.assertIn("M Reboot", events)
        self.assertNotIn("0 BOOTSTRAP", events)
        agent_log = self.harness.log("cwmp-agent")
        self.assertIn("-> RebootResponse", agent_log)
        self.assertIn("agent: rebooting: the agent restarts in place", agent_log)
        # acs-sim uses the task's id as the Reboot's CommandKey.
        self.assertIn(f"M Reboot({queued['_id']})", agent_log)
        # Delivered once: later Informs do not repeat it.
        wait_for("a periodic Inform after the reboot",
                 lambda: any("2 PERIODIC" in e for e in self._informs()[-2:]), timeout=30)
        self.assertEqual(sum(1 for e in self._informs() if "M Reboot" in e), 1)

    def test_failing_reboot_command_still_restarts_in_place(self):
        self.start_agent(options=["--reboot-command", "exit 3"])
        _, events = self._queue_and_wait_for_boot({"name": "reboot"})
        self.assertIn("M Reboot", events)
        self.assertIn("reboot command `exit 3` failed (exit status 3)",
                      self.harness.log("cwmp-agent"))

    def test_factory_reset_informs_bootstrap_and_boot(self):
        marker = os.path.join(self.harness.workdir, "factory-reset-ran")
        self.start_agent(options=["--factory-reset-command", f"touch {marker}"])
        self.harness.queue_task(self.device_id, {
            "name": "setParameterValues",
            "parameterValues": [["Device.ManagementServer.DefaultActiveNotificationThrottle",
                                 int(MARKER_VALUE), "xsd:unsignedInt"]],
        })
        wait_for("the SetParameterValues to run",
                 lambda: self.harness.pending_tasks(self.device_id) == [], timeout=30)
        _, events = self._queue_and_wait_for_boot({"name": "factoryReset"})
        self.assertIn("0 BOOTSTRAP", events)
        self.assertIn("1 BOOT", events)
        self.assertTrue(os.path.exists(marker), "the factory-reset command did not run")
        agent_log = self.harness.log("cwmp-agent")
        self.assertIn("-> FactoryResetResponse", agent_log)
        # The ACS's value is gone with the reset: read it back.
        self.harness.queue_task(self.device_id, {
            "name": "getParameterValues",
            "parameterNames": ["Device.ManagementServer.DefaultActiveNotificationThrottle"],
        })
        wait_for("the GetParameterValues to run",
                 lambda: self.harness.pending_tasks(self.device_id) == [], timeout=30)
        last_answer = [line for line in self.harness.log("cwmp-agent").splitlines()
                       if "-> GetParameterValuesResponse" in line][-1]
        self.assertNotIn(f"DefaultActiveNotificationThrottle={MARKER_VALUE}", last_answer)


if __name__ == "__main__":
    unittest.main()
