#!/usr/bin/env python3
"""Prints the agent's footprint: stripped binary sizes, and the agent's
resident memory once its first session with acs-sim has ended.

    python3 tools/footprint.py build/bin
"""
import os
import shutil
import subprocess
import sys
import tempfile

from phonecwmp_harness import Harness, wait_for


def stripped_size(path):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "stripped")
        subprocess.run(["strip", "-o", out, path], check=True)
        return os.path.getsize(out)


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0])
    return fields


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    for name in ("cwmp-agent", "acs-sim"):
        print(f"{name} stripped size: {stripped_size(os.path.join(bin_dir, name)) / 1024:.0f} KiB")
    with Harness(bin_dir) as h:
        h.start_acs_sim()
        agent = h.start_agent(h.acs_url, {"Device.DeviceInfo.SerialNumber": "FOOTPRINT"})
        wait_for("the first session to end",
                 lambda: "session: ended by the ACS" in h.log("cwmp-agent"), timeout=30)
        m = memory(agent.pid)
        print(f"cwmp-agent after one session: VmRSS {m['VmRSS']} KiB "
              f"(anonymous {m['RssAnon']} KiB, file-backed {m['RssFile']} KiB), "
              f"peak {m['VmHWM']} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
