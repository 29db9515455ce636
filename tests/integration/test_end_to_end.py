"""The agent informs acs-sim, and a task queued on the northbound API runs in
the agent's next session: a SetParameterValues the agent must apply, then a
GetParameterValues whose answer must carry the new value back to the ACS."""
import os
import unittest
import uuid

from phonecwmp_harness import Harness, free_loopback_port, parameter, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
MODEL_NAME = "Device.DeviceInfo.ModelName"  # not in the Inform: only a GPV brings it
SIP_CLIENT_NETWORK = "Device.Services.VoiceService.1.SIP.Client.1.Network"  # from the factory file


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim()
        self.serial = "E2E" + uuid.uuid4().hex[:10].upper()
        self.model_name = "Model " + self.serial
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            MODEL_NAME: self.model_name,
            "Device.ManagementServer.PeriodicInformEnable": "true",
            "Device.ManagementServer.Password": "acs-secret",
            INTERVAL: "2",
        })

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def _device(self):
        return self.harness.device_by_serial(self.serial)

    def test_bootstrap_inform_then_set_and_get_in_the_next_session(self):
        device = wait_for("the agent's first Inform", self._device, timeout=30)
        device_id = device["_id"]
        ident = device["_deviceId"]
        self.assertEqual(device_id, f"{ident['_OUI']}-{ident['_ProductClass']}-{self.serial}")
        self.assertEqual(ident["_SerialNumber"], self.serial)
        self.assertIn("0 BOOTSTRAP", self.harness.log("acs-sim"))

        self.harness.queue_task(device_id, {
            "name": "setParameterValues",
            "parameterValues": [[INTERVAL, 3, "xsd:unsignedInt"]],
        })
        self.harness.queue_task(device_id, {
            "name": "getParameterValues",
            "parameterNames": [INTERVAL, MODEL_NAME, SIP_CLIENT_NETWORK],
        })
        # Tasks run in order; once none is pending, the cached value is the
        # one the agent returned for the GetParameterValues, which ran last.
        wait_for("the tasks to run", lambda: self.harness.pending_tasks(device_id) == [],
                 timeout=45)
        device = self.harness.devices(query={"_id": device_id},
                                      projection=f"{INTERVAL},{MODEL_NAME},{SIP_CLIENT_NETWORK}")[0]
        leaf = parameter(device, INTERVAL)
        self.assertIsNotNone(leaf, device)
        self.assertEqual(leaf["_value"], 3)
        self.assertEqual(leaf["_type"], "xsd:unsignedInt")
        model_name = parameter(device, MODEL_NAME)
        self.assertIsNotNone(model_name, device)
        self.assertEqual(model_name["_value"], self.model_name)
        network = parameter(device, SIP_CLIENT_NETWORK)
        self.assertIsNotNone(network, device)
        self.assertEqual(network["_value"], "Device.Services.VoiceService.1.SIP.Network.1")

        agent_log = self.harness.log("cwmp-agent")
        self.assertIn(f"<- SetParameterValues {INTERVAL}=3", agent_log)
        self.assertIn(f"-> GetParameterValuesResponse {INTERVAL}=3", agent_log)
        self.assertEqual(self.harness.log("acs-sim").count("Fault"), 0)


    def test_password_reads_empty_and_a_mixed_set_changes_nothing(self):
        """The data model as an ACS sees it: a password reads back empty, and
        a SetParameterValues with one valid and one invalid value changes
        nothing and faults 9003 with a code per parameter."""
        device_id = wait_for("the agent's first Inform", self._device, timeout=30)["_id"]
        retry_wait = "Device.ManagementServer.CWMPRetryMinimumWaitInterval"
        self.harness.queue_task(device_id, {
            "name": "setParameterValues",
            "parameterValues": [[INTERVAL, 9, "xsd:unsignedInt"],
                                [retry_wait, 0, "xsd:unsignedInt"]],  # below its minimum of 1
        })
        fault = wait_for("the SetParameterValues fault",
                         lambda: next(iter(self.harness.nbi("GET", "/faults")[1]), None),
                         timeout=45)
        detail = fault["detail"]
        self.assertEqual(detail["faultCode"], "9003", fault)
        self.assertEqual([(entry["parameterName"], entry["faultCode"])
                          for entry in detail["setParameterValuesFault"]],
                         [(retry_wait, "9007")], fault)

        self.harness.queue_task(device_id, {
            "name": "getParameterValues",
            "parameterNames": ["Device.ManagementServer.Password", INTERVAL],
        })
        def values_read():
            device = self.harness.devices(query={"_id": device_id},
                                          projection=f"Device.ManagementServer.Password,{INTERVAL}")[0]
            return device if parameter(device, "Device.ManagementServer.Password") else None
        device = wait_for("the GetParameterValues answer", values_read, timeout=45)
        self.assertEqual(parameter(device, "Device.ManagementServer.Password")["_value"], "")
        self.assertEqual(parameter(device, INTERVAL)["_value"], 2)  # unchanged by the refused set


class Credentials(unittest.TestCase):
    """With ManagementServer.Username set (acs-sim does not authenticate yet),
    the agent's first message must still be the Inform itself: an
    authentication probe would be an empty POST outside any session."""

    def test_session_with_credentials_configured(self):
        harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(harness.__exit__, None, None, None)
        harness.start_acs_sim()
        harness.start_agent(harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": "CRED" + uuid.uuid4().hex[:8].upper(),
            "Device.ManagementServer.Username": "phone",
            "Device.ManagementServer.Password": "secret",
        })
        wait_for("the session to end",
                 lambda: "session: ended by the ACS" in harness.log("cwmp-agent"), timeout=20)
        self.assertNotIn("empty POST", harness.log("acs-sim"))
        self.assertNotIn("secret", harness.log("cwmp-agent"))


class BootEvents(unittest.TestCase):
    """0 BOOTSTRAP on first contact only, 1 BOOT on every start, and a
    BOOTSTRAP that could not be delivered is not forgotten across a restart."""

    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.state_dir = os.path.join(self.harness.workdir, "state")
        self.values = {"Device.DeviceInfo.SerialNumber": "BOOT" + uuid.uuid4().hex[:8].upper()}

    def _inform_events(self, run):
        line = wait_for(f"Inform of agent run {run}",
                        lambda: next((l for l in self.harness.log("cwmp-agent", run).splitlines()
                                      if "session: Inform to" in l), None), timeout=20)
        return line.split("events=")[1].split("]")[0] + "]"

    def _wait_session_end(self, run):
        wait_for(f"end of the session of agent run {run}",
                 lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent", run),
                 timeout=20)

    def test_bootstrap_once_then_boot(self):
        self.harness.start_acs_sim()
        # The same connection-request port both times: a different one would
        # change ConnectionRequestURL, which is rightly notified (4 VALUE CHANGE).
        options = ["--cr-listen", f"127.0.0.1:{free_loopback_port()}"]
        agent = self.harness.start_agent(self.harness.acs_url, self.values, self.state_dir,
                                         options=options)
        self.assertEqual(self._inform_events(1), "[0 BOOTSTRAP, 1 BOOT]")
        self._wait_session_end(1)
        self.harness.stop(agent)

        self.harness.start_agent(self.harness.acs_url, self.values, self.state_dir,
                                 options=options)
        self.assertEqual(self._inform_events(2), "[1 BOOT]")

    def test_a_new_connection_request_url_is_notified_at_boot(self):
        self.harness.start_acs_sim()
        first_port = free_loopback_port()
        agent = self.harness.start_agent(self.harness.acs_url, self.values, self.state_dir,
                                         options=["--cr-listen", f"127.0.0.1:{first_port}"])
        self._wait_session_end(1)
        self.harness.stop(agent)

        second_port = first_port
        for _ in range(100):  # bounded: the kernel rarely hands out the same port twice
            if second_port != first_port:
                break
            second_port = free_loopback_port()
        self.assertNotEqual(first_port, second_port)
        self.harness.start_agent(self.harness.acs_url, self.values, self.state_dir,
                                 options=["--cr-listen", f"127.0.0.1:{second_port}"])
        self.assertEqual(self._inform_events(2), "[1 BOOT, 4 VALUE CHANGE]")

    def test_undelivered_bootstrap_survives_a_restart(self):
        port = free_loopback_port()
        url = f"http://127.0.0.1:{port}/"
        agent = self.harness.start_agent(url, self.values, self.state_dir)
        wait_for("the first session to fail",
                 lambda: "session: failed" in self.harness.log("cwmp-agent", 1), timeout=20)
        self.harness.stop(agent)

        self.harness.start_acs_sim(cwmp_listen=f"127.0.0.1:{port}")
        self.harness.start_agent(url, self.values, self.state_dir)
        self.assertEqual(self._inform_events(2), "[0 BOOTSTRAP, 1 BOOT]")
        self._wait_session_end(2)


if __name__ == "__main__":
    unittest.main()


class InstancesEndToEnd(unittest.TestCase):
    """AddObject and DeleteObject queued on the northbound API: the agent
    creates an InformParameter instance, a SetParameterValues fills it in, a
    GetParameterValues brings it back, and DeleteObject removes it again."""
    # The same agent and acs-sim as EndToEnd, without running its test again.
    setUp = EndToEnd.setUp
    _dump_logs_on_failure = EndToEnd._dump_logs_on_failure
    _device = EndToEnd._device

    TABLE = "Device.ManagementServer.InformParameter."
    COUNT = "Device.ManagementServer.InformParameterNumberOfEntries"

    def _run(self, device_id, *tasks):
        for task in tasks:
            self.harness.queue_task(device_id, task)
        wait_for("the tasks to run", lambda: self.harness.pending_tasks(device_id) == [],
                 timeout=45)
        return self.harness.devices(query={"_id": device_id},
                                    projection="Device.ManagementServer")[0]

    def test_add_set_get_and_delete_an_instance(self):
        device_id = wait_for("the agent's first Inform", self._device, timeout=30)["_id"]
        name = self.TABLE + "1.ParameterName"

        device = self._run(device_id, {"name": "addObject", "objectName": self.TABLE})
        self.assertIsNotNone(parameter(device, self.TABLE + "1"), device)

        device = self._run(device_id, {
            "name": "setParameterValues",
            "parameterValues": [[name, "Device.DeviceInfo.UpTime", "xsd:string"]],
        }, {"name": "getParameterValues", "parameterNames": [self.TABLE + "1.", self.COUNT]})
        self.assertEqual(parameter(device, name)["_value"], "Device.DeviceInfo.UpTime")
        self.assertEqual(parameter(device, self.TABLE + "1.Enable")["_value"], False)
        self.assertEqual(parameter(device, self.COUNT)["_value"], 1)

        device = self._run(device_id, {"name": "deleteObject", "objectName": self.TABLE + "1."},
                           {"name": "getParameterValues", "parameterNames": [self.COUNT]})
        self.assertIsNone(parameter(device, self.TABLE + "1"), device)
        self.assertEqual(parameter(device, self.COUNT)["_value"], 0)

        # Instance numbers are not reused: the next one is 2.
        device = self._run(device_id, {"name": "addObject", "objectName": self.TABLE})
        self.assertIsNotNone(parameter(device, self.TABLE + "2"), device)
        self.assertIsNone(parameter(device, self.TABLE + "1"), device)
        self.assertEqual(self.harness.log("acs-sim").count("Fault"), 0)
