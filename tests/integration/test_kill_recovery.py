"""Crash recovery with the real binaries.

The agent is SIGKILLed at random instants while acs-sim drives sessions
with SetParameterValues and Download tasks, and restarted on the same state
folder each time. After every kill the store passes SQLite's integrity check
and keeps every value whose SetParameterValues the ACS saw succeed (unless
a later SetParameterValues replaced it); every restart informs "1 BOOT";
BOOTSTRAP is never repeated once acknowledged; every download the agent
accepted ends with exactly one successful TransferComplete at acs-sim once
the agent is left alone. The delays are drawn from a seeded generator: the
seed is printed, and PHONECWMP_KILL_SEED replays a run.

acs-sim is SIGKILLed in the middle of a session and restarted on the same
--db: it still knows the device and its pending tasks, and the agent's next
session (on its retry schedule) carries them out.
"""
import os
import random
import re
import signal
import sqlite3
import time
import unittest
import urllib.parse
import urllib.request
import uuid

from phonecwmp_harness import Harness, free_loopback_port, wait_for

KILLS = 15
# Sessions with SETS_PER_RUN SetParameterValues last some tens of ms on
# loopback: the kill falls anywhere from the Inform to a little after.
SETS_PER_RUN = 8
MAX_KILL_DELAY_S = 0.08
TASKS_IN_THE_KILLED_SESSION = 200
THROTTLE = "Device.ManagementServer.DefaultActiveNotificationThrottle"
TONE = b"RIFF" + bytes(range(256)) * 8
FAST_RETRIES = {
    "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1",
    "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1000",
}


def informs_in(acs_log, device_id):
    """The event lists of the device's Informs, in order, from acs-sim's log."""
    marker = f"Inform from {device_id} events=["
    lists = []
    for line in acs_log.splitlines():
        start = line.find(marker)
        if start >= 0:
            text = line[start + len(marker):line.index("]", start)]
            lists.append(text.split(",") if text else [])
    return lists


def in_database_files(db, text):
    """Whether `text` is in the bytes of the SQLite database `db` or of its
    WAL: acs-sim holds the database exclusively, so it cannot be queried."""
    data = b""
    for path in (db, db + "-wal"):
        try:
            with open(path, "rb") as f:
                data += f.read()
        except FileNotFoundError:
            pass
    return text.encode() in data


def check_store(path):
    """integrity_check of the agent's store (the agent is stopped) and its
    parameter values."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        values = dict(connection.execute("SELECT path, value FROM parameter_values"))
    finally:
        connection.close()
    return integrity, values


class KillRecovery(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.serial = "KR" + uuid.uuid4().hex[:10].upper()
        self.state_dir = os.path.join(self.harness.workdir, "agent-state")
        self.agent = None

    def _dump_logs_on_failure(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        failed = [test for test, _ in
                  getattr(result, "errors", []) + getattr(result, "failures", [])]
        if self in failed:
            print("---- acs-sim log (tail) ----\n" + self.acs_log()[-8000:])
            print("---- cwmp-agent log (tail) ----\n" + self.harness.log("cwmp-agent")[-8000:])

    def start_agent(self, periodic_interval=None):
        values = {"Device.DeviceInfo.SerialNumber": self.serial}
        values.update(FAST_RETRIES)
        if periodic_interval is not None:
            values["Device.ManagementServer.PeriodicInformEnable"] = "true"
            values["Device.ManagementServer.PeriodicInformInterval"] = str(periodic_interval)
        self.agent = self.harness.start_agent(self.harness.acs_url, values,
                                              state_dir=self.state_dir)
        return self.agent

    def kill_agent(self):
        os.killpg(self.agent.pid, signal.SIGKILL)
        self.agent.wait(timeout=10)

    def acs_log(self):
        return self.harness.log("acs-sim")

    def device_id_after_first_session(self):
        device = wait_for("the agent's first Inform",
                          lambda: self.harness.device_by_serial(self.serial, "_deviceId"), 30)
        wait_for("the boot session to end",
                 lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent"), 30)
        return device["_id"]

    def upload_tone(self):
        request = urllib.request.Request(
            f"http://{self.harness.nbi_endpoint}/files/{urllib.parse.quote('kill.wav')}",
            data=TONE, method="PUT", headers={"fileType": "4 Tone File"})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.status, 201)

    def test_sigkill_at_random_instants_loses_no_acknowledged_value_or_event(self):
        seed = int(os.environ.get("PHONECWMP_KILL_SEED", str(random.randrange(1 << 32))))
        print(f"kill loop seed {seed} (PHONECWMP_KILL_SEED={seed} replays it)")
        chance = random.Random(seed)
        self.harness.start_acs_sim(options=["--fs-listen", "127.0.0.1:0"])
        self.upload_tone()
        self.start_agent()
        device_id = self.device_id_after_first_session()
        self.kill_agent()

        spv_values = {}      # task id -> value, in queuing order
        downloads = []       # task ids
        store = os.path.join(self.state_dir, "store.sqlite")
        for kill in range(KILLS):
            for step in range(SETS_PER_RUN):
                value = 1000 + kill * SETS_PER_RUN + step
                task = self.harness.queue_task(device_id, {
                    "name": "setParameterValues",
                    "parameterValues": [[THROTTLE, value, "xsd:unsignedInt"]]})
                spv_values[task["_id"]] = value
            if kill % 3 == 0:
                task = self.harness.queue_task(device_id, {
                    "name": "download", "file": "kill.wav",
                    "targetFileName": f"kill-{kill}.wav"})
                downloads.append(task["_id"])
            delay = chance.uniform(0, MAX_KILL_DELAY_S)
            print(f"kill #{kill + 1}: SIGKILL {delay:.3f} s after the Inform")
            self.start_agent()
            run = kill + 2
            wait_for("the restarted agent's Inform", lambda: "session: Inform to" in
                     self.harness.log("cwmp-agent", run=run), timeout=20, interval=0.002)
            time.sleep(delay)
            self.kill_agent()

            integrity, values = check_store(store)
            self.assertEqual(integrity, [("ok",)], f"store after kill #{kill + 1}")
            acknowledged = [task_id for task_id in spv_values
                            if re.search(rf"task {task_id} setParameterValues done",
                                         self.acs_log())]
            if acknowledged:
                # The value of the last acknowledged SPV, or of one queued after it
                # that the agent applied before the ACS heard of it.
                order = list(spv_values)
                allowed = {spv_values[t] for t in order[order.index(acknowledged[-1]):]}
                self.assertIn(int(values.get(THROTTLE, "-1")), allowed,
                              f"after kill #{kill + 1}: acknowledged "
                              f"{spv_values[acknowledged[-1]]}")

        # Left alone, the agent finishes everything it owes.
        self.start_agent()
        wait_for("every task to be done or faulted",
                 lambda: self.harness.pending_tasks(device_id) == [], timeout=90)
        wait_for("the last session to end",
                 lambda: self.harness.log("cwmp-agent", run=KILLS + 2).count(
                     "session: ended by the ACS") >= 1, timeout=30)
        self.harness.stop(self.agent)
        integrity, values = check_store(store)
        self.assertEqual(integrity, [("ok",)])
        log = self.acs_log()
        done_spvs = [t for t in spv_values if f"task {t} setParameterValues done" in log]
        self.assertTrue(done_spvs, "no SetParameterValues got through at all")
        self.assertEqual(int(values[THROTTLE]), spv_values[done_spvs[-1]])

        for task_id in downloads:
            # Refused or faulted downloads end in /faults; accepted ones
            # must complete, once.
            accepted = f"task {task_id} download accepted" in log or \
                f"TransferComplete {task_id}" in log or f"task {task_id} download done" in log
            if accepted:
                self.assertEqual(log.count(f"task {task_id} download done"), 1,
                                 f"download {task_id}")
        completed = sum(f"task {t} download done" in log for t in downloads)
        killed_runs = [self.harness.log("cwmp-agent", run=run) for run in range(2, KILLS + 2)]
        mid_session = sum(1 for text in killed_runs if "session: Inform to" in text and
                          text.count("session: Inform to") > text.count("session: ended by"))
        owed_transfer = sum(1 for text in killed_runs if "7 TRANSFER COMPLETE" in text)
        print(f"{KILLS} kills survived ({mid_session} in a session, {owed_transfer} in runs "
              f"owing a TransferComplete); {len(done_spvs)} of {len(spv_values)} "
              f"SetParameterValues and {completed} of {len(downloads)} downloads completed")
        informs = informs_in(log, device_id)
        self.assertGreaterEqual(sum("1 BOOT" in events for events in informs), 2)
        self.assert_bootstrap_not_repeated()

    def assert_bootstrap_not_repeated(self):
        """Once a run acknowledged the BOOTSTRAP Inform (and went on past it),
        no later run sends BOOTSTRAP again."""
        runs = sum(1 for name, *_ in self.harness.processes if name == "cwmp-agent")
        acknowledged = False
        for run in range(1, runs + 1):
            text = self.harness.log("cwmp-agent", run=run)
            informs = re.findall(r"session: Inform to \S+ events=\[([^\]]*)\]", text)
            if acknowledged:
                self.assertFalse(any("0 BOOTSTRAP" in e for e in informs),
                                 f"run {run} repeated BOOTSTRAP")
            at = text.find("session: InformResponse")
            if at >= 0 and "session:" in text[at + 30:]:
                acknowledged = True

    def test_acs_sim_killed_mid_session_keeps_the_device_and_its_pending_tasks(self):
        cwmp_port = free_loopback_port()
        db = os.path.join(self.harness.workdir, "acs-kill.sqlite")
        acs = self.harness.start_acs_sim(cwmp_listen=f"127.0.0.1:{cwmp_port}", db=db)
        self.start_agent(periodic_interval=2)
        device_id = self.device_id_after_first_session()
        self.kill_agent()

        # Many small tasks make a long session to kill acs-sim in.
        tasks = [self.harness.queue_task(device_id, {
            "name": "getParameterValues", "parameterNames": [THROTTLE]})["_id"]
            for _ in range(TASKS_IN_THE_KILLED_SESSION)]
        # acs-sim writes behind (every 200 ms, see its README): the kill
        # comes once the last task (and so every one before it) is in its
        # database files.
        wait_for("acs-sim to write the tasks to its database",
                 lambda: in_database_files(db, tasks[-1]), timeout=15)
        self.start_agent()
        wait_for("the session with the tasks",
                 lambda: "-> GetParameterValuesResponse" in self.harness.log("cwmp-agent"),
                 timeout=30, interval=0.01)
        os.killpg(acs.pid, signal.SIGKILL)
        acs.wait(timeout=10)
        wait_for("the agent to notice", lambda: "session: failed" in self.harness.log(
            "cwmp-agent", run=2), timeout=30)

        self.harness.start_acs_sim(cwmp_listen=f"127.0.0.1:{cwmp_port}", db=db)
        self.assertIsNotNone(self.harness.device_by_serial(self.serial),
                             "acs-sim forgot the device")
        done_before = [t for t in tasks if f"task {t} getParameterValues done"
                       in self.harness.log("acs-sim", run=1)]
        pending = {t["_id"] for t in self.harness.pending_tasks(device_id)}
        # A completion from the last 200 ms may be lost (the task runs again:
        # at least once); a task not done must never be lost.
        self.assertEqual(set(tasks) - set(done_before) - pending, set(),
                         "tasks not done before the kill are no longer pending")
        self.assertLessEqual(pending, set(tasks))
        self.assertTrue(pending, "the kill came after the whole session")
        wait_for("the agent's next session to carry out the tasks",
                 lambda: self.harness.pending_tasks(device_id) == [], timeout=60)
        self.assertIsNone(self.agent.poll(), "the agent exited")
        self.assertIn("session: ended by the ACS", self.harness.log("cwmp-agent", run=2))
        self.assertIsNotNone(self.harness.device_by_serial(self.serial))


if __name__ == "__main__":
    unittest.main()
