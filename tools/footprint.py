#!/usr/bin/env python3
"""Prints the agent's footprint: stripped binary sizes, and the agent's
memory once its first session with acs-sim has ended: resident, proportional
and private sizes, and where they go by mapping (heap, each shared library).

    python3 tools/footprint.py build/bin

tests/bench/agent_bench.py imports the measuring functions.
"""
import os
import subprocess
import sys
import tempfile

from phonecwmp_harness import Harness, wait_for


def strip_copy(path, out):
    """Writes a stripped copy of the executable path to out; returns its size."""
    subprocess.run(["strip", "-o", out, path], check=True)
    return os.path.getsize(out)


def stripped_size(path):
    with tempfile.TemporaryDirectory() as folder:
        return strip_copy(path, os.path.join(folder, "stripped"))


def _kib_fields(path, wanted):
    fields = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in wanted:
                fields[key] = int(value.split()[0])
    return fields


def memory(pid):
    """KiB figures of /proc/PID/status (VmRSS, VmHWM peak, RssAnon, RssFile)
    and /proc/PID/smaps_rollup (Pss, Private_Clean + Private_Dirty as Private)."""
    fields = _kib_fields(f"/proc/{pid}/status", ("VmRSS", "VmHWM", "RssAnon", "RssFile"))
    rollup = _kib_fields(f"/proc/{pid}/smaps_rollup",
                         ("Pss", "Private_Clean", "Private_Dirty", "Shared_Clean"))
    fields["Pss"] = rollup.get("Pss", 0)
    fields["Private"] = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)
    fields["PrivateDirty"] = rollup.get("Private_Dirty", 0)
    return fields


def mapping_breakdown(pid):
    """Rss / Pss / Private KiB per mapped object of /proc/PID/smaps, largest
    Rss first: a library's or the executable's file name, "[heap]", "[stack]",
    or "[anonymous]" for unnamed mappings (thread stacks, large mallocs)."""
    totals = {}
    current = None
    with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            head = line.split()
            if not head:
                continue
            if not head[0].endswith(":"):  # a mapping line: range perms offset dev inode [path]
                name = head[5] if len(head) > 5 else "[anonymous]"
                current = totals.setdefault(os.path.basename(name) if name.startswith("/")
                                            else name, {"Rss": 0, "Pss": 0, "Private": 0})
            elif current is not None and head[0] in ("Rss:", "Pss:", "Private_Clean:",
                                                      "Private_Dirty:"):
                key = "Private" if head[0].startswith("Private") else head[0][:-1]
                current[key] += int(head[1])
    return sorted(totals.items(), key=lambda item: item[1]["Rss"], reverse=True)


def describe_memory(pid, top=12):
    """Printable lines: the totals, then the largest mappings."""
    m = memory(pid)
    lines = [f"VmRSS {m['VmRSS']} KiB (anonymous {m['RssAnon']}, file-backed {m['RssFile']}), "
             f"Pss {m['Pss']} KiB, private {m['Private']} KiB "
             f"(dirty {m['PrivateDirty']}), peak {m['VmHWM']} KiB"]
    for name, figures in mapping_breakdown(pid)[:top]:
        lines.append(f"  {figures['Rss']:6d} KiB rss {figures['Pss']:6d} pss "
                     f"{figures['Private']:6d} private  {name}")
    return lines


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    for name in ("cwmp-agent", "acs-sim"):
        print(f"{name} stripped size: {stripped_size(os.path.join(bin_dir, name)) / 1024:.0f} KiB")
    with Harness(bin_dir) as h:
        h.start_acs_sim()
        agent = h.start_agent(h.acs_url, {"Device.DeviceInfo.SerialNumber": "FOOTPRINT"})
        wait_for("the first session to end",
                 lambda: "session: ended by the ACS" in h.log("cwmp-agent"), timeout=30)
        print("cwmp-agent after one session:")
        print("\n".join(describe_memory(agent.pid)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
