"""ACS-side fault injection against the real cwmp-agent: an ACS that is not
there, says nothing, resets the connection, answers with HTTP errors, garbage
or a truncated body — at the Inform and in the middle of a session. For each
fault the agent logs what went wrong, fails the session, retries on the
TR-069 §3.2.1.1 schedule (RetryCount counts the failed attempts), and loses
no event: BOOTSTRAP, BOOT and a pending TRANSFER COMPLETE / M Download reach
the ACS once it behaves, and a TransferComplete is delivered exactly once.

The retry wait is made short with CWMPRetryMinimumWaitInterval=1 (its
minimum) and CWMPRetryIntervalMultiplier=1000 (its minimum): every wait is
then exactly 1 s."""
import errno
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import unittest
import uuid

from faulty_acs import FaultyAcs, download_body
from phonecwmp_harness import Harness, free_loopback_port, wait_for

TONE = b"RIFF-fault-tone-" + bytes(range(48))
REQUEST_TIMEOUT_S = 2
FAST_RETRIES = {
    "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1",
    "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1000",
}

# What the agent's log must say for each fault (a regular expression).
FAULT_MESSAGES = {
    "silent": r"session: failed: HTTP transport: no answer within 2000 ms",
    "reset": r"session: failed: HTTP transport: .*(reset|closed|Empty reply|Recv failure)",
    "reset_partial": r"session: failed: HTTP transport: .*(reset|closed|Recv failure|partial)",
    "truncated": r"session: failed: HTTP transport: .*(partial|Transferred|closed|Recv)",
    "garbage": r"session: failed: cannot decode",
    ("status", 500): r"session: failed: ACS answered .*HTTP 500",
    ("status", 503): r"session: failed: ACS answered .*HTTP 503",
    ("status", 400): r"session: failed: ACS answered .*HTTP 400",
}


def events_of(inform):
    return [code for code, _ in inform["events"]]


class FaultInjection(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.acs = None
        self.agent = None

    def _dump_logs_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print("---- cwmp-agent log (tail) ----\n" + self.harness.log("cwmp-agent")[-12000:])

    def start_acs(self, port=0):
        self.acs = FaultyAcs(port=port, files={"/files/ring.wav": TONE})
        self.addCleanup(self.acs.close)
        return self.acs

    def start_agent(self, url, values=None):
        settings = dict(FAST_RETRIES)
        settings.update(values or {})
        self.agent = self.harness.start_agent(
            url, settings, options=["--request-timeout", str(REQUEST_TIMEOUT_S)])
        return self.agent

    def wait(self, what, predicate, timeout):
        """wait_for that gives up at once when the agent has exited."""
        def alive_and(predicate=predicate):
            if self.agent is not None and self.agent.poll() is not None:
                raise AssertionError(f"the agent exited ({self.agent.returncode}) while "
                                     f"waiting for {what}")
            return predicate()
        return wait_for(what, alive_and, timeout)

    def agent_log(self):
        return self.harness.log("cwmp-agent")

    def assert_logged(self, pattern, what):
        self.assertRegex(self.agent_log(), pattern, f"no clear log line for {what}")

    def assert_retry_counts_grow(self, informs):
        counts = [inform["retry_count"] for inform in informs]
        self.assertEqual(counts, list(range(len(counts))),
                         "RetryCount must count the failed attempts one by one")

    def acknowledged_informs(self):
        """Informs the ACS answered normally (no fault was applied to them)."""
        applied = sum(1 for trigger, _ in self.acs.applied if trigger == "Inform")
        return self.acs.seen("Inform")[applied:]

    # ---- tests --------------------------------------------------------------

    def test_unreachable_acs_is_retried_on_schedule_and_keeps_boot_events(self):
        port = free_loopback_port()
        self.start_agent(f"http://127.0.0.1:{port}/acs")
        self.wait("three failed attempts",
                 lambda: "session retry #3 in 1.0 s" in self.agent_log(), timeout=30)
        self.assert_logged(r"session: failed: HTTP transport: .*(connect|Connection refused)",
                           "a refused connection")
        attempts = re.findall(r"session: Inform to \S+ events=\[([^\]]*)\] retry=(\d+)",
                              self.agent_log())
        self.assertEqual([int(retry) for _, retry in attempts[:3]], [0, 1, 2])
        for events, _ in attempts:
            self.assertIn("0 BOOTSTRAP", events)
            self.assertIn("1 BOOT", events)

        self.start_acs(port)
        inform = self.wait("the first Inform that reaches the ACS",
                          lambda: self.acs.seen("Inform"), timeout=30)[0]
        self.assertGreaterEqual(inform["retry_count"], 3)
        self.assertIn("0 BOOTSTRAP", events_of(inform))
        self.assertIn("1 BOOT", events_of(inform))
        self.wait("the session's end", lambda: "session: ended by the ACS" in self.agent_log(),
                 timeout=20)

    def test_every_fault_at_the_inform_is_retried_and_no_event_is_lost(self):
        faults = ["silent", "reset", "reset_partial", "truncated", "garbage",
                  ("status", 500), ("status", 503), ("status", 400)]
        acs = self.start_acs()
        acs.faults = [("Inform", fault) for fault in faults]
        self.start_agent(acs.url())
        self.wait("an Inform after every fault",
                 lambda: len(acs.seen("Inform")) > len(faults), timeout=90)
        self.wait("the session's end", lambda: "session: ended by the ACS" in self.agent_log(),
                 timeout=20)
        informs = acs.seen("Inform")
        self.assert_retry_counts_grow(informs[:len(faults) + 1])
        for inform in informs[:len(faults) + 1]:
            self.assertIn("0 BOOTSTRAP", events_of(inform))
            self.assertIn("1 BOOT", events_of(inform))
        for fault in faults:
            self.assert_logged(FAULT_MESSAGES[fault], fault)
        self.assertEqual(self.agent_log().count("session: failed:"), len(faults))
        self.assertIn(f"session retry #{len(faults)} in 1.0 s", self.agent_log())

    def test_mid_session_faults_keep_the_transfer_complete_until_it_is_acknowledged(self):
        acs = self.start_acs()
        acs.requests.append(download_body("tone-1", acs.url("/files/ring.wav"), len(TONE),
                                          "ring.wav"))
        faults = [("TransferComplete", ("status", 500)), ("TransferComplete", "reset"),
                  ("TransferComplete", "garbage"), ("TransferComplete", "truncated"),
                  ("TransferComplete", "silent"), ("Inform", ("status", 503))]
        acs.faults = list(faults)
        self.start_agent(acs.url())
        self.wait("the TransferComplete acknowledged",
                  lambda: "<- TransferCompleteResponse" in self.agent_log(), timeout=90)
        self.wait("the session's end", lambda: self.agent_log().count(
            "session: ended by the ACS") >= 2, timeout=30)
        self.assertEqual(acs.seen("DownloadResponse")[0]["Status"], "1")
        completes = acs.seen("TransferComplete")
        # Five faulted, one acknowledged; never again after that.
        self.assertEqual(len(completes), 6, completes)
        for complete in completes:
            self.assertEqual((complete["CommandKey"], complete["FaultCode"]), ("tone-1", "0"))
        # Every Inform after the download carried the owed events until the
        # TransferComplete was acknowledged.
        informs = acs.seen("Inform")[1:]
        self.assertGreaterEqual(len(informs), 7)
        for inform in informs[:7]:
            self.assertIn("7 TRANSFER COMPLETE", events_of(inform))
            self.assertIn(("M Download", "tone-1"), inform["events"])
        for pattern in (r"ACS answered our TransferComplete with HTTP 500", "cannot decode",
                        r"HTTP transport: no answer within 2000 ms",
                        r"ACS answered the Inform with HTTP 503"):
            self.assert_logged(pattern, pattern)

    def test_garbage_request_mid_session_is_answered_with_a_fault_and_the_session_goes_on(self):
        acs = self.start_acs()
        acs.faults = [("empty", "garbage")]
        self.start_agent(acs.url())
        self.wait("the agent's fault for the garbage", lambda: acs.seen("Fault"), timeout=30)
        self.wait("the session's end", lambda: "session: ended by the ACS" in self.agent_log(),
                 timeout=20)
        self.assertEqual(acs.seen("Fault")[0]["FaultCode"], "9003")
        self.assert_logged(r"session: cannot decode ACS message", "garbage from the ACS")
        self.assertNotIn("session: failed", self.agent_log())

    def test_http_error_after_the_inform_response_fails_the_session_cleanly(self):
        acs = self.start_acs()
        acs.faults = [("empty", ("status", 500))]
        agent = self.start_agent(acs.url(), {
            "Device.ManagementServer.PeriodicInformEnable": "true",
            "Device.ManagementServer.PeriodicInformInterval": "2",
        })
        self.wait("the failed session",
                 lambda: "session: failed: ACS answered with HTTP 500" in self.agent_log(),
                 timeout=30)
        # The events were acknowledged by the InformResponse: delivered, not
        # repeated; the next (periodic) session works.
        self.wait("a periodic Inform", lambda: any(
            "2 PERIODIC" in events_of(i) for i in acs.seen("Inform")), timeout=30)
        informs = acs.seen("Inform")
        self.assertEqual(sum("0 BOOTSTRAP" in events_of(i) for i in informs), 1)
        self.assertEqual(sum("1 BOOT" in events_of(i) for i in informs), 1)
        self.assertIsNone(agent.poll(), "the agent exited")


THROTTLE = "Device.ManagementServer.DefaultActiveNotificationThrottle"
INTERVAL = "Device.ManagementServer.PeriodicInformInterval"
TMPFS_BYTES = 4 * 1024 * 1024


def store_values(path):
    """integrity_check and parameter values of a store no agent has open."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        values = dict(connection.execute("SELECT path, value FROM parameter_values"))
    finally:
        connection.close()
    return integrity, values


def in_private_mount_namespace(script, folder):
    """A wrapper running `script` (with $0 = folder) in a new mount namespace,
    then exec'ing the agent's command line."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            script + ' && exec "$@"', folder]


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("unshare") and shutil.which("nsenter"),
                     "needs root, unshare and nsenter (mount namespaces)")
class StateFolderFaults(unittest.TestCase):
    """A read-only or full state folder, made so in a private mount
    namespace: the host's file systems are never touched."""

    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim()
        self.serial = "SF" + uuid.uuid4().hex[:10].upper()
        self.state_dir = os.path.join(self.harness.workdir, "agent-state")
        os.makedirs(self.state_dir, mode=0o700)
        self.agent = None

    def _dump_logs_on_failure(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        failed = [t for t, _ in getattr(result, "errors", []) + getattr(result, "failures", [])]
        if self in failed:
            print("---- acs-sim log (tail) ----\n" + self.harness.log("acs-sim")[-6000:])
            print("---- cwmp-agent log (tail) ----\n" + self.harness.log("cwmp-agent")[-6000:])

    def start_agent(self, wrapper):
        self.agent = self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.PeriodicInformEnable": "true",
            INTERVAL: "1",
        }, state_dir=self.state_dir, wrapper=wrapper)
        return self.agent

    def first_session(self):
        device = wait_for("the agent's first Inform",
                          lambda: self.agent.poll() is None and
                          self.harness.device_by_serial(self.serial, "_deviceId"), 30)
        return device["_id"]

    def set_values(self, device_id, throttle, interval):
        """Queues a SetParameterValues of two values; its outcome as acs-sim
        logged it: "done" or the fault code."""
        task = self.harness.queue_task(device_id, {
            "name": "setParameterValues",
            "parameterValues": [[THROTTLE, throttle, "xsd:unsignedInt"],
                                [INTERVAL, interval, "xsd:unsignedInt"]]})["_id"]

        def outcome():
            log = self.harness.log("acs-sim")
            if f"task {task} setParameterValues done" in log:
                return "done"
            match = re.search(rf"task {task} setParameterValues fault (?:cwmp\.)?(\d+)", log)
            return match.group(1) if match else None
        return wait_for("the SetParameterValues's outcome", outcome, timeout=30)

    def test_read_only_state_folder_stops_the_agent_with_a_message_naming_it(self):
        for with_store in (False, True):
            if with_store:
                self.start_agent(None)
                self.first_session()
                self.harness.stop(self.agent)
            agent = self.start_agent(in_private_mount_namespace(
                'mount --bind -o ro "$0" "$0"', self.state_dir))
            try:
                code = agent.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.fail(f"the agent runs on a read-only state folder (store: {with_store})")
            self.assertNotEqual(code, 0)
            last = self.harness.log("cwmp-agent", run=3 if with_store else 1)
            self.assertRegex(last, rf"critical .*{re.escape(self.state_dir)}",
                             "the message names the folder")

    def test_full_disk_faults_the_set_and_the_store_reopens_with_the_old_value(self):
        holder = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             f'mount -t tmpfs -o size={TMPFS_BYTES},mode=0700 tmpfs "$0" && exec sleep 300',
             self.state_dir], start_new_session=True)
        self.addCleanup(lambda: (os.killpg(holder.pid, signal.SIGKILL), holder.wait(10)))
        root = f"/proc/{holder.pid}/root"
        def mounted():
            with open(f"/proc/{holder.pid}/mountinfo", encoding="utf-8") as f:
                return f" {self.state_dir} " in f.read()
        wait_for("the tmpfs", mounted, timeout=10)
        in_holder = ["nsenter", "-t", str(holder.pid), "--mount", "--"]
        self.start_agent(in_holder)
        device_id = self.first_session()
        self.assertEqual(self.set_values(device_id, 111, 2), "done")

        filler = f"{root}{self.state_dir}/filler"
        with open(filler, "wb") as f:
            for _ in range(TMPFS_BYTES // 65536 + 1):
                try:
                    f.write(b"\0" * 65536)
                    f.flush()
                except OSError as error:
                    self.assertEqual(error.errno, errno.ENOSPC)
                    break
            else:
                self.fail("the tmpfs did not fill up")
        outcome = self.set_values(device_id, 222, 3)
        self.assertIsNone(self.agent.poll(), "the agent exited on a full disk")
        print(f"SetParameterValues on a full disk: {outcome}")
        self.assertIn(outcome, ("done", "9002"))
        if outcome == "9002":
            self.assertIn("database or disk is full", self.harness.log("acs-sim"),
                          "the fault names the problem")
        os.remove(filler)
        self.harness.stop(self.agent)
        # Read through a copy: the store lives in the holder's namespace.
        copy = os.path.join(self.harness.workdir, "store-copy")
        os.makedirs(copy)
        for name in os.listdir(f"{root}{self.state_dir}"):
            if name.startswith("store.sqlite"):
                shutil.copy(f"{root}{self.state_dir}/{name}", copy)
        integrity, values = store_values(os.path.join(copy, "store.sqlite"))
        self.assertEqual(integrity, [("ok",)])
        expected = ("222", "3") if outcome == "done" else ("111", "2")
        self.assertEqual((values[THROTTLE], values[INTERVAL]), expected)
        # The agent opens it again.
        runs_before = self.harness.log("cwmp-agent").count("session: ended by the ACS")
        self.start_agent(in_holder)
        wait_for("a session after the restart", lambda: self.agent.poll() is None and
                 self.harness.log("cwmp-agent").count("session: ended by the ACS") > runs_before,
                 timeout=30)


if __name__ == "__main__":
    unittest.main()
