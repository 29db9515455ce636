"""acs-sim under load from cpe-swarm: completed Inform sessions per second
with N concurrent virtual devices, and acs-sim's resident memory once it
knows M devices. Prints the figures (and one JSON line); asserts nothing
about time. `--smoke` is the short run ctest does: 50 devices for 3 s, which
must complete sessions without a failure and leave 50 devices in the NBI.

    python3 tests/bench/acs_sim_scale.py --bin build/bin --devices 1000 --duration 20
    python3 tests/bench/acs_sim_scale.py --bin build/bin --known-devices 10000
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from phonecwmp_harness import Harness  # noqa: E402


def rss_kib(pid):
    """VmRSS and VmHWM (peak) of a process, in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)


def swarm(bin_dir, acs_url, arguments, timeout):
    command = [os.path.join(bin_dir, "cpe-swarm"), "--acs", acs_url] + arguments
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    figures = None
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            figures = json.loads(line[len("RESULT "):])
    return result.returncode, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
    parser.add_argument("--devices", type=int, default=1000, help="concurrent devices")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load")
    parser.add_argument("--threads", type=int, default=2, help="cpe-swarm I/O threads")
    parser.add_argument("--known-devices", type=int, default=0,
                        help="then boot this many devices once and report acs-sim's RSS")
    parser.add_argument("--smoke", action="store_true", help="the short ctest run")
    args = parser.parse_args()
    if args.smoke:
        args.devices, args.duration, args.known_devices = 50, 3, 0

    with Harness(args.bin) as harness:
        acs = harness.start_acs_sim()
        acs_url = harness.acs_url
        idle_rss, _ = rss_kib(acs.pid)
        report = {"acs_sim_idle_rss_kib": idle_rss}
        limit = args.duration + 120
        status, figures = swarm(args.bin, acs_url,
                                ["--devices", str(args.devices), "--duration", str(args.duration),
                                 "--threads", str(args.threads)], limit)
        if status != 0 or not figures:
            print("FAILED: cpe-swarm reported failures\n" + harness.log("acs-sim")[-4000:])
            return 1
        report["load"] = figures
        report["acs_sim_rss_after_load_kib"] = rss_kib(acs.pid)[0]

        if args.known_devices:
            status, figures = swarm(args.bin, acs_url,
                                    ["--devices", str(args.known_devices), "--concurrency", "1000",
                                     "--rounds", "1", "--duration", "600", "--serial-prefix",
                                     "KNOWN", "--threads", str(args.threads)], 900)
            if status != 0:
                print("FAILED: cpe-swarm reported failures while booting the known devices")
                return 1
            rss, peak = rss_kib(acs.pid)
            report["known_devices"] = args.known_devices + args.devices
            report["acs_sim_rss_known_devices_kib"] = rss
            report["acs_sim_peak_rss_kib"] = peak

        listed = len(harness.devices(projection="_id"))
        report["devices_in_nbi"] = listed
        print("SCALE " + json.dumps(report), flush=True)
        expected = args.devices + (args.known_devices or 0)
        if listed != expected:
            print(f"FAILED: the NBI lists {listed} devices, expected {expected}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
