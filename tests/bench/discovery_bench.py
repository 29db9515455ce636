"""ACS discovery over DHCP, timed (issue 6 item 8): link up -> lease -> ACS
URL known -> first Inform received by acs-sim, in two network namespaces
joined by a veth pair (the setup of tests/integration/test_acs_discovery.py,
whose helpers this reuses): dnsmasq and acs-sim in the "network" namespace,
cwmp-agent --interface (no --acs-url) in the "phone" one. Compared with
busybox udhcpc's time to lease from the same dnsmasq. Prints the figures
and one JSON line; asserts nothing about time.

    sudo python3 tests/bench/discovery_bench.py --bin build/bin --runs 10

Each run starts from a cold phone: the phone's interface down with no
address, a fresh agent state folder (so no remembered lease, no INIT-REBOOT)
and a fresh serial number. t0 is taken just before the interface is brought
up; the agent (or udhcpc) is started right after. Times come from the
millisecond timestamps of the agent's and acs-sim's logs (same clock as t0).
Needs root, `ip netns` and dnsmasq; busybox is optional.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from phonecwmp_harness import Harness, HarnessError, wait_for  # noqa: E402
from test_acs_discovery import (PHONE_INTERFACE, SERVER_ADDRESS, SKIP_REASON,  # noqa: E402
                                enter_namespace, run, stop_process)

LEASE_MARKER = "DHCPv4: acquired "
DISCOVERED_MARKER = "DHCP: ACS "
RUN_TIMEOUT_S = 20
LOG_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


class BenchError(Exception):
    pass


def log_time(text, marker):
    """Epoch seconds of the first log line holding `marker`, or None. Lines
    start with spdlog's local-time "%Y-%m-%dT%H:%M:%S.%e"."""
    for line in text.splitlines():
        if marker in line:
            stamp = line.split(" ", 1)[0]
            return datetime.strptime(stamp, LOG_TIME_FORMAT).timestamp()
    return None


def summary(values):
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "max": ordered[-1], "min": ordered[0]}


class DiscoveryBench:
    def __init__(self, bin_dir, stack):
        self.bin_dir = os.path.abspath(bin_dir)
        self.stack = stack
        tag = f"{os.getpid()}"
        self.network_ns = f"pcbench-n-{tag}"
        self.phone_ns = f"pcbench-p-{tag}"
        self.server_if = f"pcbench{tag}"[:15]
        self.work = stack.enter_context(tempfile.TemporaryDirectory(prefix="phonecwmp-disc-"))
        self.lease_file = os.path.join(self.work, "leases")

    def set_up(self):
        # ExitStack unwinds last-registered first: the namespaces go last,
        # after the programs have stopped and this process has left them.
        run("ip", "netns", "add", self.network_ns)
        self.stack.callback(run, "ip", "netns", "del", self.network_ns, check=False)
        run("ip", "netns", "add", self.phone_ns)
        self.stack.callback(run, "ip", "netns", "del", self.phone_ns, check=False)
        run("ip", "link", "add", self.server_if, "netns", self.network_ns, "type", "veth",
            "peer", "name", PHONE_INTERFACE, "netns", self.phone_ns)
        run("ip", "-n", self.network_ns, "addr", "add", f"{SERVER_ADDRESS}/24", "dev",
            self.server_if)
        for ns, interface in ((self.network_ns, self.server_if), (self.phone_ns, "lo")):
            run("ip", "-n", ns, "link", "set", interface, "up")
        run("ip", "-n", self.network_ns, "link", "set", "lo", "up")

        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.stack.callback(os.close, home)
        self.stack.callback(enter_namespace, f"/proc/self/fd/{home}")
        enter_namespace(f"/run/netns/{self.network_ns}")

        self.harness = Harness(self.bin_dir)
        self.stack.callback(self.harness.__exit__, None, None, None)
        self.harness.start_acs_sim(cwmp_listen=f"{SERVER_ADDRESS}:0")
        self.acs_url = f"http://{self.harness.cwmp_endpoint}/"
        self.start_dnsmasq()

    def start_dnsmasq(self):
        conf = os.path.join(self.work, "dnsmasq.conf")
        with open(conf, "w", encoding="ascii") as out:
            out.write("\n".join([
                "port=0", f"interface={self.server_if}", "bind-interfaces", "no-ping",
                "user=root", "dhcp-range=10.233.0.100,10.233.0.150,255.255.255.0,2m",
                f"dhcp-leasefile={self.lease_file}",
                f'dhcp-option=vendor:dslforum.org,1,"{self.acs_url}"',
            ]) + "\n")
        self.dnsmasq_log = self.stack.enter_context(
            open(os.path.join(self.work, "dnsmasq.log"), "w+"))
        self.dnsmasq = subprocess.Popen(
            ["dnsmasq", "--no-daemon", f"--conf-file={conf}", "--pid-file="],
            stdout=self.dnsmasq_log, stderr=subprocess.STDOUT)
        self.stack.callback(stop_process, self.dnsmasq)

        def serving():
            if self.dnsmasq.poll() is not None:
                raise BenchError("dnsmasq exited:\n" + self.dnsmasq_text())
            return "DHCP, IP range" in self.dnsmasq_text()

        wait_for("dnsmasq to serve DHCP", serving, timeout=10)

    def dnsmasq_text(self):
        self.dnsmasq_log.flush()
        with open(self.dnsmasq_log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def reset_phone_link(self):
        """The phone as after a cold boot: interface down, no address."""
        run("ip", "-n", self.phone_ns, "link", "set", PHONE_INTERFACE, "down")
        run("ip", "-n", self.phone_ns, "addr", "flush", "dev", PHONE_INTERFACE)

    def link_up(self):
        t0 = time.time()
        run("ip", "-n", self.phone_ns, "link", "set", PHONE_INTERFACE, "up")
        return t0

    def agent_run(self, index):
        self.reset_phone_link()
        serial = "DBN" + uuid.uuid4().hex[:9].upper()
        state_dir = os.path.join(self.work, f"agent-state-{index}")
        args = ["ip", "netns", "exec", self.phone_ns,
                os.path.join(self.bin_dir, "cwmp-agent"), "--state-dir", state_dir,
                "--log-level", "info", "--interface", PHONE_INTERFACE,
                "--cr-listen", "127.0.0.1:0",
                "--set", f"Device.DeviceInfo.SerialNumber={serial}",
                "--set", "Device.DHCPv6.Client.1.Enable=false"]
        t0 = self.link_up()
        agent = self.harness._spawn("cwmp-agent", args)
        try:
            inform_marker = "Inform from "

            def informed():
                if agent.poll() is not None:
                    raise BenchError("cwmp-agent exited:\n" + self.agent_log(index))
                return any(inform_marker in line and serial in line
                           for line in self.harness.log("acs-sim").splitlines())

            wait_for(f"run {index}: the first Inform at the discovered ACS", informed,
                     timeout=RUN_TIMEOUT_S, interval=0.02)
        finally:
            self.harness.stop(agent)
        log = self.agent_log(index)
        inform = None
        for line in self.harness.log("acs-sim").splitlines():
            if inform_marker in line and serial in line:
                inform = log_time(line, inform_marker)
                break
        lease = log_time(log, LEASE_MARKER)
        discovered = log_time(log, DISCOVERED_MARKER)
        if lease is None or discovered is None or inform is None:
            raise BenchError(f"run {index}: a step is missing from the logs:\n{log}")
        if f"ACS {self.acs_url} discovered" not in log:
            raise BenchError(f"run {index}: the agent discovered another URL:\n{log}")
        return {"lease_ms": (lease - t0) * 1000, "acs_url_ms": (discovered - t0) * 1000,
                "first_inform_ms": (inform - t0) * 1000}

    def agent_log(self, index):
        return self.harness.log("cwmp-agent", run=index + 1)

    def udhcpc_run(self, busybox):
        """busybox udhcpc's time from link up to exit with a lease (-q)."""
        self.reset_phone_link()
        script = os.path.join(self.work, "udhcpc-script")
        if not os.path.exists(script):
            with open(script, "w", encoding="ascii") as out:
                out.write("#!/bin/sh\nexit 0\n")  # the lease is not applied
            os.chmod(script, 0o755)
        t0 = self.link_up()
        result = run("ip", "netns", "exec", self.phone_ns, busybox, "udhcpc", "-i",
                     PHONE_INTERFACE, "-V", "dslforum.org", "-O", "43", "-O", "125", "-n",
                     "-q", "-f", "-t", "3", "-T", "1", "-s", script, check=False,
                     timeout=RUN_TIMEOUT_S)
        done = time.time()
        if result.returncode != 0:
            raise BenchError(f"udhcpc got no lease: {result.stderr}")
        return {"lease_ms": (done - t0) * 1000}


def print_table(title, runs, keys):
    print(title)
    for key in keys:
        figures = summary([r[key] for r in runs])
        print(f"  {key:<16} p50 {figures['p50']:8.1f} ms   min {figures['min']:8.1f} ms"
              f"   max {figures['max']:8.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("PHONECWMP_BIN_DIR", "build/bin"),
                        help="folder holding cwmp-agent and acs-sim")
    parser.add_argument("--runs", type=int, default=10, help="runs of each client (1-100)")
    options = parser.parse_args()
    if not 1 <= options.runs <= 100:
        parser.error("--runs must be between 1 and 100")
    if SKIP_REASON is not None:
        print(f"discovery_bench: cannot run: {SKIP_REASON}", file=sys.stderr)
        return 2
    busybox = shutil.which("busybox")

    with ExitStack() as stack:
        bench = DiscoveryBench(options.bin, stack)
        bench.set_up()
        agent_runs = []
        for index in range(options.runs):
            agent_runs.append(bench.agent_run(index))
            print(json.dumps({"client": "cwmp-agent", "run": index, **agent_runs[-1]}))
        udhcpc_runs = []
        if busybox:
            for index in range(options.runs):
                udhcpc_runs.append(bench.udhcpc_run(busybox))
                print(json.dumps({"client": "udhcpc", "run": index, **udhcpc_runs[-1]}))

    print(f"\nACS discovery over DHCP, {options.runs} runs, times from link up (t0):")
    print_table("cwmp-agent (process start, lease, ACS URL, first Inform at acs-sim):",
                agent_runs, ("lease_ms", "acs_url_ms", "first_inform_ms"))
    if udhcpc_runs:
        print_table("busybox udhcpc -n -q (process start to exit with a lease):",
                    udhcpc_runs, ("lease_ms",))
    else:
        print("busybox not installed: no udhcpc comparison")
    result = {"runs": options.runs,
              "agent": {key: summary([r[key] for r in agent_runs])
                        for key in ("lease_ms", "acs_url_ms", "first_inform_ms")}}
    if udhcpc_runs:
        result["udhcpc"] = {"lease_ms": summary([r["lease_ms"] for r in udhcpc_runs])}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, HarnessError) as error:
        print(f"discovery_bench: {error}", file=sys.stderr)
        sys.exit(1)
