"""Secrets with the real binaries: the four passwords of the phone
(ManagementServer.Password, ConnectionRequestPassword, SIP Client AuthPassword,
SIP Network InboundAuthPassword) never appear in the agent's log at trace
level nor in acs-sim's log at trace level, whether given at start or set by
the ACS; GetParameterValues reads them as "" and acs-sim's NBI then shows
"" too; the state folder, the agent's store and acs-sim's database are
owner-only whatever the umask."""
import json
import os
import stat
import unittest
import uuid

from phonecwmp_harness import Harness, HarnessError, _endpoint, parameter, wait_for

MS_PASSWORD = "Device.ManagementServer.Password"
CR_PASSWORD = "Device.ManagementServer.ConnectionRequestPassword"
SIP_AUTH_PASSWORD = "Device.Services.VoiceService.1.SIP.Client.1.AuthPassword"
INBOUND_PASSWORD = "Device.Services.VoiceService.1.SIP.Network.1.InboundAuthPassword"
PASSWORDS = (MS_PASSWORD, CR_PASSWORD, SIP_AUTH_PASSWORD, INBOUND_PASSWORD)


def secret(name):
    return f"{name}-{uuid.uuid4().hex}"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class Secrets(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self.harness.print_logs_if_failed, self)

    def start_acs_sim_at_trace(self, options, db=None):
        """Like Harness.start_acs_sim, at --log-level trace."""
        ready = os.path.join(self.harness.workdir, "acs-sim.ready.json")
        db = db or os.path.join(self.harness.workdir, "acs-sim.sqlite")
        process = self.harness._spawn("acs-sim", [
            os.path.join(self.harness.bin_dir, "acs-sim"), "--cwmp-listen", "127.0.0.1:0",
            "--nbi-listen", "127.0.0.1:0", "--ready-file", ready, "--log-level", "trace",
            "--db", db] + options)

        def endpoints():
            if process.poll() is not None:
                raise HarnessError("acs-sim exited early:\n" + self.harness.log("acs-sim"))
            try:
                with open(ready, encoding="utf-8") as f:
                    return json.load(f)
            except (OSError, ValueError):
                return None

        info = wait_for("acs-sim to listen", endpoints, timeout=15)
        self.harness.cwmp_endpoint = _endpoint(info, "cwmp")
        self.harness.nbi_endpoint = _endpoint(info, "nbi")
        return process

    def start_agent_at_trace(self, values, state_dir):
        args = [os.path.join(self.harness.bin_dir, "cwmp-agent"), "--acs-url",
                self.harness.acs_url, "--state-dir", state_dir, "--log-level", "trace",
                "--cr-listen", "127.0.0.1:0"]
        for path, value in values.items():
            args += ["--set", f"{path}={value}"]
        return self.harness._spawn("cwmp-agent", args)

    def run_task(self, device_id, task):
        self.harness.queue_task(device_id, task)
        wait_for(f"task {task['name']} to run in a periodic session",
                 lambda: not self.harness.pending_tasks(device_id), timeout=45)

    def device_values(self, device_id):
        device = self.harness.devices(query={"_id": device_id},
                                      projection=",".join(PASSWORDS))[0]
        return {path: (parameter(device, path) or {}).get("_value") for path in PASSWORDS}

    def test_passwords_stay_out_of_logs_gpv_and_nbi(self):
        cpe_user, cr_user = "cpe-" + uuid.uuid4().hex[:6], "acs-" + uuid.uuid4().hex[:6]
        first = {path: secret(path.rsplit(".", 1)[1]) for path in PASSWORDS}
        acs = self.start_acs_sim_at_trace(["--cpe-auth", "digest", "--cpe-username", cpe_user,
                                     "--cpe-password", first[MS_PASSWORD],
                                     "--cr-username", cr_user,
                                     "--cr-password", first[CR_PASSWORD]])
        serial = "SEC" + uuid.uuid4().hex[:9].upper()
        agent = self.start_agent_at_trace(dict(first, **{
            "Device.DeviceInfo.SerialNumber": serial,
            "Device.ManagementServer.Username": cpe_user,
            "Device.ManagementServer.ConnectionRequestUsername": cr_user,
            "Device.ManagementServer.PeriodicInformEnable": "true",
            "Device.ManagementServer.PeriodicInformInterval": 2,
        }), os.path.join(self.harness.workdir, "agent-state"))
        device_id = wait_for("the agent's first Inform",
                             lambda: self.harness.device_by_serial(serial), timeout=30)["_id"]

        # The ACS sets new SIP passwords (and the same ACS-facing ones, so
        # that the sessions keep authenticating).
        second = {SIP_AUTH_PASSWORD: secret("AuthPassword2"),
                  INBOUND_PASSWORD: secret("InboundAuthPassword2")}
        self.run_task(device_id, {"name": "setParameterValues", "parameterValues": [
            [path, value, "xsd:string"] for path, value in dict(first, **second).items()]})
        after_set = self.device_values(device_id)
        self.run_task(device_id, {"name": "getParameterValues",
                                  "parameterNames": list(PASSWORDS)})
        after_get = self.device_values(device_id)
        self.assertEqual(after_get, {path: "" for path in PASSWORDS},
                         "GetParameterValues of a password must read \"\" and acs-sim must "
                         "show what the device reported")

        self.harness.stop(agent)
        self.harness.stop(acs)
        agent_log, acs_log = self.harness.log("cwmp-agent"), self.harness.log("acs-sim")
        # The sessions were logged at trace, SOAP included: the grep below
        # looked at the traffic that carried the passwords.
        self.assertIn("SetParameterValues", agent_log)
        self.assertIn("SetParameterValues", acs_log)
        for value in list(first.values()) + list(second.values()):
            self.assertNotIn(value, agent_log, "a password in the agent's log")
            self.assertNotIn(value, acs_log, "a password in acs-sim's log")
        echoed = sorted(path.rsplit(".", 1)[1] for path, value in after_set.items()
                        if value and value in (first[path], second.get(path)))
        print(f"\n[secrets] acs-sim's NBI showed the values it set, until the GPV, for: "
              f"{echoed}", flush=True)

    def test_state_folder_store_and_database_are_owner_only_whatever_the_umask(self):
        previous = os.umask(0)
        try:
            db = os.path.join(self.harness.workdir, "registry", "acs.sqlite")
            os.makedirs(os.path.dirname(db))
            self.harness.start_acs_sim(db=db)
            state_dir = os.path.join(self.harness.workdir, "new", "agent-state")
            self.harness.start_agent(self.harness.acs_url, {
                "Device.DeviceInfo.SerialNumber": "PERM" + uuid.uuid4().hex[:8].upper()},
                state_dir=state_dir)
            store = os.path.join(state_dir, "store.sqlite")
            wait_for("the agent's store and its WAL",
                     lambda: os.path.exists(store + "-wal"), timeout=30)
            wait_for("acs-sim's database", lambda: os.path.exists(db), timeout=30)
        finally:
            os.umask(previous)
        self.assertEqual(mode(state_dir), 0o700)
        for path in (store, store + "-wal", store + "-shm", db, db + "-wal", db + "-shm"):
            if os.path.exists(path):
                with self.subTest(path):
                    self.assertEqual(mode(path) & 0o077, 0, f"{path}: {oct(mode(path))}")


if __name__ == "__main__":
    unittest.main()
