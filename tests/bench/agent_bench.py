"""The agent's benchmarks against the real acs-sim on loopback (issue 4 item
13): connection request -> Inform latency, the full refresh (GetParameterNames
+ GetParameterValues of "Device.") of a tree of 10,000 parameters, the
agent's memory idle and after the refresh, and its stripped size. Prints the
figures (and one JSON line); asserts nothing about time. `--smoke` is the
short ctest run: it fails only when something does not work.

    python3 tests/bench/agent_bench.py --bin build/bin

Both programs run as stripped copies, as installed. The agent's tree is grown
with a factory file: the phone's own plus --instances rows of a table
(--table: static routes by default, 11 parameters each).
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from xml.etree import ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, HERE)
from cwmp_relay import CwmpRelay  # noqa: E402
from footprint import describe_memory, memory, strip_copy  # noqa: E402
from phonecwmp_harness import Harness, HarnessError, parameter, wait_for  # noqa: E402

DEFINITIONS = os.path.join(REPO, "datamodel", "definitions", "phone-device.xml")
# Tables the tree is grown with: static routes, which nothing in the agent
# reads, and the Inform's extra parameters, which every Inform scans.
# Each as its object name in the definitions; rows are added to instance 1 of
# any enclosing table (Router 1 comes with the factory file).
TABLES = {"forwarding": "Device.Routing.Router.{i}.IPv4Forwarding.{i}.",
          "inform-parameter": "Device.ManagementServer.InformParameter.{i}."}
CR_URL = "Device.ManagementServer.ConnectionRequestURL"
SESSION_END = "session: ended by the ACS"
CR_EVENT = b"6 CONNECTION REQUEST"
SERIAL = "BENCH" + secrets.token_hex(4).upper()
USERNAME = "bench"
PASSWORD = "pw-" + secrets.token_hex(8)


class BenchError(Exception):
    pass


class LogFollower:
    """Counts lines containing a marker in a growing log file, reading only
    what was appended since the last call."""

    def __init__(self, path, marker):
        self.path, self.marker = path, marker
        self.offset, self.count, self.partial = 0, 0, ""

    def poll(self):
        with open(self.path, encoding="utf-8", errors="replace") as f:
            f.seek(self.offset)
            text = self.partial + f.read()
            self.offset = f.tell()
        lines = text.split("\n")
        self.partial = lines.pop()
        self.count += sum(1 for line in lines if self.marker in line)
        return self.count


class TokenBucket:
    """Mirror of the agent's connection-request rate limit (burst 10, one
    more per second; every request counts, the 401 leg of a digest exchange
    too), so that the benchmark never meets a 503. A margin keeps it safe."""

    def __init__(self, capacity=10, refill_s=1.0, margin=1.05):
        self.capacity, self.refill_s = capacity, refill_s * margin
        self.tokens, self.at = capacity - 1, time.monotonic()  # the boot left it full

    def take(self, count):
        while True:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.at) / self.refill_s)
            self.at = now
            if self.tokens >= count:
                self.tokens -= count
                return
            time.sleep((count - self.tokens) * self.refill_s)


class DigestClient:
    """Connection requests with HTTP Digest (RFC 7616, qop=auth) computed
    here, reusing the agent's nonce with an increasing nonce-count so that
    each timed request is one GET, not a 401 round trip."""

    def __init__(self, url, bucket):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise BenchError(f"unexpected ConnectionRequestURL {url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path or "/"
        self.bucket = bucket
        self.challenge = None
        self.nc = 0
        self.challenges_met = 0

    def _authorization(self):
        c = self.challenge
        algorithm = c.get("algorithm", "MD5").upper()
        digest = hashlib.sha256 if algorithm == "SHA-256" else hashlib.md5

        def h(text):
            return digest(text.encode()).hexdigest()

        self.nc += 1
        nc, cnonce = f"{self.nc:08x}", secrets.token_hex(8)
        ha1 = h(f"{USERNAME}:{c['realm']}:{PASSWORD}")
        ha2 = h(f"GET:{self.path}")
        response = h(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        fields = [f'username="{USERNAME}"', f'realm="{c["realm"]}"', f'nonce="{c["nonce"]}"',
                  f'uri="{self.path}"', f"algorithm={algorithm}", "qop=auth", f"nc={nc}",
                  f'cnonce="{cnonce}"', f'response="{response}"']
        if "opaque" in c:
            fields.append(f'opaque="{c["opaque"]}"')
        return "Digest " + ", ".join(fields)

    def _take_challenge(self, response):
        offers = [parse_challenge(v) for k, v in response.getheaders()
                  if k.lower() == "www-authenticate" and v.lower().startswith("digest ")]
        if not offers:
            raise BenchError("the agent answered 401 without a Digest challenge")
        offers.sort(key=lambda c: c.get("algorithm", "MD5").upper() != "SHA-256")
        self.challenge, self.nc = offers[0], 0
        self.challenges_met += 1

    def request(self):
        """Sends one accepted connection request; returns time.monotonic_ns()
        and time.time() of the moment the accepted GET was sent."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.connect()
            for _ in range(3):
                headers = {} if self.challenge is None else {
                    "Authorization": self._authorization()}
                self.bucket.take(1)
                sent_ns, sent_wall = time.monotonic_ns(), time.time()
                connection.request("GET", self.path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    return sent_ns, sent_wall
                if response.status != 401:
                    raise BenchError(f"the connection request was answered {response.status}")
                self._take_challenge(response)
                if response.will_close:
                    connection.close()
                    connection.connect()
            raise BenchError("the connection request was refused three times")
        finally:
            connection.close()


def parse_challenge(header):
    """The parameters of one "Digest k=v, k="v"" challenge, keys in lower case."""
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[len("Digest "):])}


def cpu_ns(pid):
    """CPU time a process's threads have used so far (first field of each
    thread's schedstat, in nanoseconds)."""
    total = 0
    for thread in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{thread}/schedstat", encoding="ascii") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def row_parameters(table):
    """How many parameters one row of `table` ("A.B.{i}.") has in the
    phone's definitions."""
    tree = ElementTree.parse(DEFINITIONS)
    for element in tree.iter():
        if element.tag.endswith("object") and element.get("name") == table:
            return sum(1 for child in element if child.tag.endswith("parameter"))
    raise BenchError(f"{DEFINITIONS} has no object {table}")


def grown_factory(path, table, instances):
    """The phone's factory file plus `instances` rows of `table` at their
    defaults (an InformParameter row gets a ParameterName, disabled)."""
    with open(os.path.join(REPO, "datamodel", "definitions", "phone-factory.xml"),
              encoding="utf-8") as f:
        text = f.read()
    content = ('<value name="ParameterName">Device.DeviceInfo.UpTime</value>'
               if table == TABLES["inform-parameter"] else "")
    prefix = table[:-len("{i}.")].replace("{i}", "1")
    rows = "".join(f'  <instance path="{prefix}{i}.">{content}</instance>\n'
                   for i in range(1, instances + 1))
    end = text.rindex("</factory>")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:end] + rows + text[end:])


def count_leaves(node):
    if not isinstance(node, dict):
        return 0
    if "_value" in node or "_type" in node:
        return 1
    return sum(count_leaves(v) for k, v in node.items() if not k.startswith("_"))


def nbi_task(harness, device_id, task, timeout_ms):
    url = (f"http://{harness.nbi_endpoint}/devices/{urllib.parse.quote(device_id, safe='')}"
           f"/tasks?connection_request&timeout={timeout_ms}")
    request = urllib.request.Request(url, data=json.dumps(task).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_ms / 1000 + 130) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def acs_sim_inform_times(log_text):
    """Wall-clock seconds of acs-sim's "Inform from ... 6 CONNECTION REQUEST"
    lines (its log has milliseconds, local time)."""
    times = []
    for line in log_text.splitlines():
        if "Inform from" in line and "6 CONNECTION REQUEST" in line:
            stamp = line.split(" ", 1)[0]
            times.append(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f").timestamp())
    return times


def measure_connection_requests(client, relay, sessions, count):
    latencies_ms, sent_walls = [], []
    for i in range(count):
        informs_before = relay.inform_count()
        ended_before = sessions.count
        sent_ns, sent_wall = client.request()
        arrival = relay.wait_inform(informs_before, timeout=10)
        if CR_EVENT not in arrival.body:
            raise BenchError("the Inform after a connection request lacks 6 CONNECTION REQUEST")
        latencies_ms.append((arrival.at_ns - sent_ns) / 1e6)
        sent_walls.append(sent_wall)
        wait_for(f"session {i + 1} to end", lambda: sessions.poll() > ended_before, timeout=10,
                 interval=0.002)
    return latencies_ms, sent_walls


def give_acs_sim_the_password(harness, device_id, client, sessions, acs_url=None):
    """acs-sim answers the agent's challenge with the ConnectionRequestUsername
    and Password its cache holds, and caches what a setParameterValues set:
    one such task, done in a session this script's own connection request
    starts. With acs_url, the task also points the agent straight at acs-sim
    (bypassing the relay), which costs one more session: the BOOTSTRAP owed
    to a new ACS URL."""
    values = [["Device.ManagementServer.ConnectionRequestUsername", USERNAME, "xsd:string"],
              ["Device.ManagementServer.ConnectionRequestPassword", PASSWORD, "xsd:string"]]
    if acs_url is not None:
        values.append(["Device.ManagementServer.URL", acs_url, "xsd:string"])
    harness.queue_task(device_id, {"name": "setParameterValues", "parameterValues": values})
    failures = LogFollower(sessions.path, "session: failed")
    failed_before = failures.poll()
    ended_before = sessions.poll()
    client.request()
    wait_for("the credentials' session to end", lambda: sessions.poll() > ended_before,
             timeout=15, interval=0.01)
    if acs_url is not None:
        wait_for("the BOOTSTRAP session to the new URL to end or fail",
                 lambda: sessions.poll() > ended_before + 1 or failures.poll() > failed_before,
                 timeout=15, interval=0.01)
        if sessions.poll() <= ended_before + 1:
            # Was a libcurl connection-cache eviction race (fixed 2026-11-27,
            # CurlChannel's per-session connection cache): now a defect.
            raise BenchError("the agent's BOOTSTRAP session to the new URL failed")
    left = harness.pending_tasks(device_id)
    if left:
        raise BenchError(f"setting the connection-request credentials left tasks: {left}")


# Log lines that mark the steps of a refresh session, (program, substring).
_REFRESH_STEPS = [
    ("acs-sim", "refreshObject queued"), ("acs-sim", "connection request to"),
    ("acs-sim", "Inform from"), ("acs-sim", "-> GetParameterNames"),
    ("cwmp-agent", "session: <- GetParameterNames"),
    ("cwmp-agent", "session: -> GetParameterNamesResponse"),
    ("acs-sim", "<- GetParameterNamesResponse"), ("acs-sim", "-> GetParameterValues"),
    ("cwmp-agent", "session: <- GetParameterValues"),
    ("cwmp-agent", "session: -> GetParameterValuesResponse"),
    ("acs-sim", "<- GetParameterValuesResponse"), ("acs-sim", "refreshObject done"),
    ("acs-sim", "session end"),
]


def refresh_timeline(harness):
    """Where the last refresh's time went, from both programs' log lines
    (milliseconds, relative to the task being queued)."""
    stamped = []
    for program in ("acs-sim", "cwmp-agent"):
        for line in harness.log(program).splitlines():
            stamp, _, rest = line.partition(" ")
            try:
                at = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f").timestamp()
            except ValueError:
                continue
            stamped.append((at, program, rest))
    stamped.sort(key=lambda item: item[0])
    starts = [i for i, (_, program, rest) in enumerate(stamped)
              if program == "acs-sim" and "refreshObject queued" in rest]
    if not starts:
        return []
    timeline, step = [], 0
    origin = stamped[starts[-1]][0]
    for at, program, rest in stamped[starts[-1]:]:
        if step < len(_REFRESH_STEPS) and program == _REFRESH_STEPS[step][0] \
                and _REFRESH_STEPS[step][1] in rest:
            timeline.append((round((at - origin) * 1000), program, _REFRESH_STEPS[step][1]))
            step += 1
    return timeline


def summary(values):
    return {"n": len(values), "p50": round(percentile(values, 0.5), 3),
            "p99": round(percentile(values, 0.99), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def run(args, bin_dir, workdir):
    report = {}
    for name in ("cwmp-agent", "acs-sim"):
        size = strip_copy(os.path.join(args.bin, name), os.path.join(bin_dir, name))
        report[f"{name}_stripped_bytes"] = size
        print(f"{name} stripped: {size / 1024:.0f} KiB")
    table = TABLES[args.table]
    report["table"], report["rows"] = table, args.instances
    report["row_parameters"] = row_parameters(table)
    factory = os.path.join(workdir, "factory.xml")
    grown_factory(factory, table, args.instances)

    with Harness(bin_dir) as harness:
        acs = harness.start_acs_sim()
        with CwmpRelay(harness.cwmp_endpoint) as relay:
            agent = harness.start_agent(relay.url, {
                "Device.DeviceInfo.SerialNumber": SERIAL,
                "Device.ManagementServer.ConnectionRequestUsername": USERNAME,
                "Device.ManagementServer.ConnectionRequestPassword": PASSWORD,
            }, options=["--definitions", DEFINITIONS, "--factory", factory])
            agent_log = [p for n, _, _, p in harness.processes if n == "cwmp-agent"][0]
            sessions = LogFollower(agent_log, SESSION_END)
            try:
                return measure(args, harness, relay, acs, agent, sessions, report)
            except (BenchError, HarnessError, OSError) as error:
                print("---- cwmp-agent log (tail) ----\n" + harness.log("cwmp-agent")[-3000:])
                print("---- acs-sim log (tail) ----\n" + harness.log("acs-sim")[-3000:])
                raise BenchError(str(error)) from error


def measure(args, harness, relay, acs, agent, sessions, report):
    def device():
        for d in harness.devices(query={"_deviceId._SerialNumber": SERIAL},
                                 projection=f"{CR_URL},_id"):
            leaf = parameter(d, CR_URL)
            if leaf and leaf.get("_value"):
                return d
        return None

    found = wait_for("the agent's boot Inform", device, timeout=30)
    device_id, url = found["_id"], parameter(found, CR_URL)["_value"]
    wait_for("the boot session to end", lambda: sessions.poll() >= 1, timeout=30)
    time.sleep(args.settle)
    idle = memory(agent.pid)
    report["idle_memory_kib"] = idle
    print("agent idle after boot: " + "\n".join(describe_memory(agent.pid)))

    bucket = TokenBucket()
    client = DigestClient(url, bucket)
    logged_before = len(acs_sim_inform_times(harness.log("acs-sim")))
    latencies, sent_walls = measure_connection_requests(client, relay, sessions, args.requests)
    report["cr_to_inform_ms"] = summary(latencies)
    print(f"connection request -> Inform at the ACS socket, {len(latencies)} requests: "
          f"p50 {report['cr_to_inform_ms']['p50']:.2f} ms, "
          f"p99 {report['cr_to_inform_ms']['p99']:.2f} ms "
          f"(min {min(latencies):.2f}, max {max(latencies):.2f}); "
          f"{client.challenges_met} digest challenge(s) met")
    logged = acs_sim_inform_times(harness.log("acs-sim"))[logged_before:]
    if len(logged) != len(sent_walls):
        raise BenchError(f"acs-sim logged {len(logged)} connection-request Informs, "
                         f"expected {len(sent_walls)}")
    by_log = [(t - s) * 1000 for t, s in zip(logged, sent_walls)]
    report["cr_to_acs_sim_log_ms"] = summary(by_log)
    print(f"connection request -> acs-sim's 'Inform from' log line (1 ms resolution, "
          f"one relay hop later): p50 {report['cr_to_acs_sim_log_ms']['p50']:.1f} ms, "
          f"p99 {report['cr_to_acs_sim_log_ms']['p99']:.1f} ms")

    # The refreshes go straight to acs-sim: the relay would add a copy of
    # each megabyte-sized message to what is measured.
    give_acs_sim_the_password(harness, device_id, client, sessions, acs_url=harness.acs_url)
    refresh_s, cpu_agent_ns, cpu_acs_ns = [], 0, 0
    task = {"name": "refreshObject", "objectName": "Device."}
    for run_index in range(args.refresh_runs):
        if run_index > 0:
            # The refresh read the password back empty into acs-sim's cache.
            give_acs_sim_the_password(harness, device_id, client, sessions)
        bucket.take(2)  # acs-sim's request and its digest leg
        ended_before = sessions.poll()
        cpu_before = cpu_ns(agent.pid), cpu_ns(acs.pid)
        started = time.monotonic()
        status, body = nbi_task(harness, device_id, task, timeout_ms=10000)
        elapsed = time.monotonic() - started
        if status != 200:
            raise BenchError(f"refreshObject run {run_index + 1} answered {status}: {body[:500]}")
        refresh_s.append(elapsed)
        wait_for("the refresh session to end", lambda: sessions.poll() > ended_before,
                 timeout=30, interval=0.005)
        cpu_agent_ns += cpu_ns(agent.pid) - cpu_before[0]
        cpu_acs_ns += cpu_ns(acs.pid) - cpu_before[1]
    devices = harness.devices(query={"_id": device_id})
    leaves = count_leaves(devices[0]) if devices else 0
    expected = args.instances * report["row_parameters"]
    if leaves < expected:
        raise BenchError(f"after the refresh acs-sim knows {leaves} parameters, "
                         f"expected at least {expected}")
    report["refresh_parameters"] = leaves
    report["refresh_ms"] = {"runs": [round(s * 1000, 1) for s in refresh_s],
                            "median": round(statistics.median(refresh_s) * 1000, 1)}
    print(f"refreshObject Device. ({leaves} parameters) through the NBI with "
          f"?connection_request, {len(refresh_s)} runs: median "
          f"{report['refresh_ms']['median']:.1f} ms, runs {report['refresh_ms']['runs']}")
    report["refresh_cpu_ms"] = {"cwmp-agent": round(cpu_agent_ns / len(refresh_s) / 1e6, 1),
                                "acs-sim": round(cpu_acs_ns / len(refresh_s) / 1e6, 1)}
    print(f"CPU per refresh (mean): cwmp-agent {report['refresh_cpu_ms']['cwmp-agent']} ms, "
          f"acs-sim {report['refresh_cpu_ms']['acs-sim']} ms")

    report["last_refresh_timeline_ms"] = refresh_timeline(harness)
    for at, program, step in report["last_refresh_timeline_ms"]:
        print(f"  {at:5d} ms  {program:10s}  {step}")

    time.sleep(args.settle)
    report["after_refresh_memory_kib"] = memory(agent.pid)
    print("agent after the refreshes: " + "\n".join(describe_memory(agent.pid)))
    if agent.poll() is not None:
        raise BenchError(f"the agent exited with status {agent.returncode}")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
    parser.add_argument("--requests", type=int, default=200, help="connection requests timed")
    parser.add_argument("--table", choices=sorted(TABLES), default="forwarding",
                        help="the table grown: %(choices)s")
    parser.add_argument("--instances", type=int, default=910,
                        help="rows added to the table (11 parameters each for forwarding, "
                             "4 for inform-parameter)")
    parser.add_argument("--refresh-runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=2.0,
                        help="seconds of quiet before reading memory")
    parser.add_argument("--smoke", action="store_true", help="the short ctest run")
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.instances, args.refresh_runs, args.settle = 5, 100, 1, 0.2
    for name in ("requests", "instances", "refresh_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    with tempfile.TemporaryDirectory(prefix="agent-bench-") as workdir:
        bin_dir = os.path.join(workdir, "bin")
        os.mkdir(bin_dir)
        try:
            report = run(args, bin_dir, workdir)
        except BenchError as error:
            print(f"FAILED: {error}")
            return 1
    print("AGENT_BENCH " + json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
