"""The phone's SIP endpoint under load (issue 7 item 6): the real cwmp-agent
listening for SIP on loopback, Debian's sipp (package sip-tester) offering
INVITEs at increasing rates, for three decisions the endpoint makes:

  drop       the source is outside the restricted access domains (sipp
             calls from 127.0.0.2, the domain is "localhost" = 127.0.0.1);
             sipp only sends the INVITE (no retransmission)
  challenge  Auth INVITE: INVITE -> 401, ACK
  answer     auto-answer: INVITE -> 100/180/200, ACK, BYE -> 200; a phone has
             16 lines (max_dialogs), so an INVITE finding them all busy
             gets 486 Busy Here, which is the phone's decision too

Decisions per second are the agent's own counters (X_PHONECWMP_Stats
DroppedRequests, ChallengesSent, CallsAnswered + CallsRefusedBusy, read over CWMP through
acs-sim's NBI before and after each run) divided by the run's wall time;
the offered rate is what sipp managed to send. The agent's CPU share comes
from /proc/PID/stat during a run at --cpu-rate. sipp's own ceiling is
measured against a sipp UAS for comparison. Prints figures, asserts nothing
about time; exits non-zero only when something does not work.

    python3 tests/bench/sip_bench.py --bin build/bin

Every run is bounded (--seconds per run, at most 10; sipp is killed after
it plus 10 s) and the whole benchmark stays under about two minutes.
"""
import argparse
import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(REPO, "tools"))
from phonecwmp_harness import Harness, HarnessError, parameter, wait_for  # noqa: E402

NETWORK = "Device.Services.VoiceService.1.SIP.Network.1."
DOMAINS = "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains"
STATS = "Device.Services.VoiceService.1.SIP.X_PHONECWMP_Stats."
CR_USERNAME = "bench"
CR_PASSWORD = "pw-" + secrets.token_hex(8)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The INVITE alone: the drop case offers requests and expects nothing back.
INVITE_ONLY = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="INVITE only">
  <send>
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
</scenario>
"""

# INVITE, its 401, and the ACK that ends the INVITE transaction (the ACK of a
# non-2xx answer carries the INVITE's branch: [branch-2], two messages back).
INVITE_CHALLENGED = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="INVITE challenged">
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="401"/>
  <send>
    <![CDATA[

      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-2]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
</scenario>
"""

CASES = {
    # name: (agent settings, sipp source, scenario, counters that count a decision)
    "drop": ({DOMAINS: "localhost"}, "127.0.0.2", "invite_only.xml", ["DroppedRequests"]),
    "challenge": ({NETWORK + "InboundAuth": "Digest", NETWORK + "InboundAuthUsername": "alice",
                   NETWORK + "InboundAuthPassword": "secret"}, "127.0.0.1",
                  "invite_challenged.xml", ["ChallengesSent"]),
    "answer": ({}, "127.0.0.1", None, ["CallsAnswered", "CallsRefusedBusy"]),
}
REPORTED = ["DroppedRequests", "ChallengesSent", "CallsAnswered", "OverloadDropped",
            "CallsRefusedBusy", "StrayACKs", "RequestsReceived"]


class BenchError(Exception):
    pass


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (fields 14 and 15 of stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class SippRun:
    """One bounded sipp run; its final statistics from -trace_stat."""

    def __init__(self, sipp, workdir, target, source, rate, seconds, scenario=None,
                 extra=()):
        self.calls = max(1, int(rate * seconds))
        tag = f"run{secrets.token_hex(3)}"
        self.stat_file = os.path.join(workdir, f"{tag}.csv")
        args = [sipp, target, "-i", source, "-p", "0", "-t", "u1", "-nostdin",
                "-m", str(self.calls), "-r", str(rate), "-rp", "1000", "-l", "2000",
                "-d", "0", "-recv_timeout", "2000", "-timeout", f"{seconds + 10}s",
                "-trace_stat", "-stf", self.stat_file, "-fd", "1",
                "-trace_err", "-error_file", os.path.join(workdir, f"{tag}.err")]
        args += ["-sf", scenario] if scenario else ["-sn", "uac"]
        args += list(extra)
        self.args = args
        self.seconds = seconds
        self.workdir = workdir

    def run(self):
        started = time.monotonic()
        process = subprocess.Popen(self.args, cwd=self.workdir, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=self.seconds + 20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        self.wall = time.monotonic() - started
        self.stats = self._last_stats()
        return self

    def _last_stats(self):
        try:
            with open(self.stat_file, newline="", encoding="latin-1") as f:
                rows = list(csv.DictReader(f, delimiter=";"))
        except OSError:
            return {}
        return rows[-1] if rows else {}

    def count(self, column):
        value = self.stats.get(column, "0") or "0"
        return int(value)


class SipBench:
    def __init__(self, args):
        self.args = args
        self.sipp = shutil.which("sipp")
        if not self.sipp:
            raise BenchError("sipp is not installed (Debian package sip-tester)")
        self.harness = Harness(args.bin)
        with open(os.path.join(self.harness.workdir, "invite_only.xml"), "w") as f:
            f.write(INVITE_ONLY)
        with open(os.path.join(self.harness.workdir, "invite_challenged.xml"), "w") as f:
            f.write(INVITE_CHALLENGED)
        self.harness.start_acs_sim(options=["--cr-username", CR_USERNAME,
                                            "--cr-password", CR_PASSWORD])

    def start_agent(self, case, settings):
        self.port = free_udp_port()
        self.serial = "SIPB" + secrets.token_hex(4).upper()
        values = {NETWORK + "UserAgentPort": self.port,
                  "Device.DeviceInfo.SerialNumber": self.serial,
                  "Device.ManagementServer.ConnectionRequestUsername": CR_USERNAME,
                  "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
                  "Device.ManagementServer.PeriodicInformEnable": "true",
                  "Device.ManagementServer.PeriodicInformInterval": 1}
        values.update(settings)
        runs = sum(1 for name, *_ in self.harness.processes if name == "cwmp-agent")
        # Each case has a store of its own: settings must not carry over.
        self.agent = self.harness.start_agent(self.harness.acs_url, values,
                                              state_dir=os.path.join(self.harness.workdir,
                                                                     f"agent-{case}"),
                                              options=["--sip-listen", "127.0.0.1"])
        self.agent_run = runs + 1
        device = wait_for(f"the agent of case {case} to inform", self._device, timeout=30)
        self.device_id = device["_id"]
        if settings.get(DOMAINS):
            wait_for("the restricted domains to resolve",
                     lambda: "resolved to" in self.harness.log("cwmp-agent", self.agent_run),
                     timeout=15)

    def _device(self):
        return self.harness.device_by_serial(self.serial, projection="_deviceId")

    def counters(self):
        names = [STATS + name for name in REPORTED]
        status, body = self.harness.nbi(
            "POST", "/devices/" + urllib.parse.quote(self.device_id, safe="")
            + "/tasks?connection_request&timeout=20000",
            {"name": "getParameterValues", "parameterNames": names})
        if status == 504 and "HTTP 503" in str(body):
            # Over the agent's connection-request rate limit: the task stays
            # queued and runs in the next periodic session (every second).
            wait_for("the statistics to be read in a periodic session",
                     lambda: not self.harness.pending_tasks(self.device_id), timeout=20)
        elif status != 200:
            raise BenchError(f"getParameterValues answered {status}: {body}")
        device = self.harness.device_by_serial(self.serial,
                                               projection=",".join(["_deviceId"] + names))
        values = {}
        for name in REPORTED:
            leaf = parameter(device, STATS + name)
            if leaf is None:
                raise BenchError(f"acs-sim has no value of {STATS + name}")
            values[name] = int(leaf["_value"])
        return values

    def run_case(self, case, rates):
        settings, source, scenario, decision_counters = CASES[case]
        scenario_path = os.path.join(self.harness.workdir, scenario) if scenario else None
        extra = ["-nr"] if case == "drop" else []
        rows = []
        for rate in rates:
            # A fresh agent per run: transactions of the previous run
            # (kept 32 s by RFC 3261/6026 timers over UDP) must not fill
            # this run's transaction table.
            self.start_agent(f"{case}-{rate}", settings)
            before = self.counters()
            run = SippRun(self.sipp, self.harness.workdir, f"127.0.0.1:{self.port}", source,
                          rate, self.args.seconds, scenario_path, extra)
            cpu_before = cpu_seconds(self.agent.pid)
            run.run()
            cpu = cpu_seconds(self.agent.pid) - cpu_before
            after = self.counters()
            delta = {name: after[name] - before[name] for name in REPORTED}
            sent = run.count("OutgoingCall(C)") or run.count("TotalCallCreated")
            decided = sum(delta[name] for name in decision_counters)
            rows.append({
                "case": case, "rate": rate, "offered": sent / run.wall,
                "decisions": decided, "per_second": decided / run.wall,
                "handled_per_second": (decided + delta["OverloadDropped"]) / run.wall,
                "sipp_ok": run.count("SuccessfulCall(C)"), "sipp_failed": run.count("FailedCall(C)"),
                "cpu": 100.0 * cpu / run.wall, "wall": run.wall, "delta": delta,
            })
            print_row(rows[-1])
            if self.agent.poll() is not None:
                raise BenchError(f"the agent of case {case} exited:\n"
                                 + self.harness.log("cwmp-agent", self.agent_run)[-3000:])
            self.harness.stop(self.agent)
        return rows

    def sipp_ceiling(self, rates):
        port = free_udp_port()
        uas = subprocess.Popen([self.sipp, "-sn", "uas", "-i", "127.0.0.1", "-p", str(port),
                                "-nostdin"], cwd=self.harness.workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = []
        try:
            time.sleep(0.5)
            for rate in rates:
                run = SippRun(self.sipp, self.harness.workdir, f"127.0.0.1:{port}", "127.0.0.1",
                              rate, self.args.seconds)
                cpu_before = cpu_seconds(uas.pid)
                run.run()
                cpu = cpu_seconds(uas.pid) - cpu_before
                ok = run.count("SuccessfulCall(C)")
                rows.append({"case": "sipp uas", "rate": rate,
                             "offered": (run.count("OutgoingCall(C)") or ok) / run.wall,
                             "decisions": ok, "per_second": ok / run.wall,
                             "handled_per_second": ok / run.wall, "sipp_ok": ok,
                             "sipp_failed": run.count("FailedCall(C)"),
                             "cpu": 100.0 * cpu / run.wall, "wall": run.wall, "delta": {}})
                print_row(rows[-1])
        finally:
            uas.terminate()
            try:
                uas.wait(timeout=5)
            except subprocess.TimeoutExpired:
                uas.kill()
                uas.wait(timeout=5)
        return rows

    def close(self):
        self.harness.__exit__(None, None, None)


def print_row(row):
    delta = ", ".join(f"{k} +{v}" for k, v in row["delta"].items() if v and k != "RequestsReceived")
    print(f"{row['case']:>10} {row['rate']:>6}/s  offered {row['offered']:8.0f}/s  "
          f"decided {row['per_second']:8.0f}/s ({row['decisions']})  with 503s "
          f"{row['handled_per_second']:8.0f}/s  sipp ok "
          f"{row['sipp_ok']} failed {row['sipp_failed']}  cpu {row['cpu']:5.1f}%  "
          f"[{delta}]", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(REPO, "build", "bin"),
                        help="folder with cwmp-agent and acs-sim")
    parser.add_argument("--rates", default="250,500,1000,2000,4000",
                        help="offered INVITE rates per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="length of each run (at most 10)")
    parser.add_argument("--cpu-rate", type=int, default=500,
                        help="the rate whose CPU share is summarised")
    parser.add_argument("--cases", default="drop,challenge,answer,sipp")
    args = parser.parse_args()
    if not 0 < args.seconds <= 10:
        parser.error("--seconds must be within (0, 10]")
    rates = [int(r) for r in args.rates.split(",") if r]
    if not rates or any(r <= 0 or r > 20000 for r in rates):
        parser.error("--rates must be positive and at most 20000")
    for name in ("cwmp-agent", "acs-sim"):
        if not os.access(os.path.join(args.bin, name), os.X_OK):
            parser.error(f"{name} is not in {args.bin}")
    bench = None
    try:
        bench = SipBench(args)
        rows = []
        for case in args.cases.split(","):
            if case == "sipp":
                rows += bench.sipp_ceiling(rates)
            elif case in CASES:
                rows += bench.run_case(case, rates)
            else:
                parser.error(f"unknown case {case}")
        at_cpu_rate = [row for row in rows if row["rate"] == args.cpu_rate]
        if at_cpu_rate:
            print(f"\nat {args.cpu_rate}/s:")
        for row in at_cpu_rate:
            if row["rate"] == args.cpu_rate:
                print(f"  {row['case']:>10}: {row['per_second']:.0f} decisions/s, "
                      f"{row['cpu']:.1f}% of one core")
    except (BenchError, HarnessError) as error:
        print(f"sip_bench: {error}", file=sys.stderr)
        if bench:
            print(bench.harness.log("cwmp-agent")[-3000:], file=sys.stderr)
        return 1
    finally:
        if bench:
            bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
