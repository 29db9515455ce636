#!/usr/bin/env python3
"""`make demo`: acs-sim and cwmp-agent on loopback. The agent informs, the
ACS sets and reads a parameter through its northbound API, and the story is
printed as it happens. Exits 0 when every step worked; leaves no process."""
import os
import sys

from phonecwmp_harness import Harness, HarnessError, parameter, wait_for

INTERVAL = "Device.ManagementServer.PeriodicInformInterval"


def interesting(log, needles):
    return [line for line in log.splitlines() if any(n in line for n in needles)]


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bin"
    steps = []
    with Harness(bin_dir) as h:
        try:
            h.start_acs_sim()
            print(f"acs-sim: CWMP on {h.cwmp_endpoint}, NBI on {h.nbi_endpoint}")
            h.start_agent(h.acs_url, {"Device.DeviceInfo.SerialNumber": "DEMO0001",
                                      "Device.ManagementServer.PeriodicInformEnable": "true",
                                      INTERVAL: "2"})
            print(f"cwmp-agent: informing {h.acs_url}")

            device = wait_for("the first Inform", lambda: (h.devices() or [None])[0], 30)
            device_id = device["_id"]
            steps.append(("Inform received", f"device {device_id}"))

            h.queue_task(device_id, {"name": "setParameterValues",
                                     "parameterValues": [[INTERVAL, 5, "xsd:unsignedInt"]]})
            h.queue_task(device_id, {"name": "getParameterValues", "parameterNames": [INTERVAL]})
            print("NBI: queued setParameterValues and getParameterValues")
            wait_for("the tasks to run", lambda: h.pending_tasks(device_id) == [], 45)
            steps.append(("SetParameterValues applied", f"{INTERVAL} = 5"))

            leaf = parameter(h.devices(query={"_id": device_id}, projection=INTERVAL)[0],
                             INTERVAL)
            if not leaf or leaf.get("_value") != 5:
                raise HarnessError(f"the ACS read back {leaf}, expected 5")
            steps.append(("GetParameterValues read back", f"{INTERVAL} = {leaf['_value']}"))
            ok = True
        except HarnessError as error:
            print(f"FAILED: {error}")
            ok = False

        print("\n---- acs-sim ----")
        for line in interesting(h.log("acs-sim"), ["Inform", "SetParameterValues",
                                                   "GetParameterValues", "session"]):
            print("  " + line)
        print("---- cwmp-agent ----")
        for line in interesting(h.log("cwmp-agent"), ["session:"]):
            print("  " + line)

    print("\nSummary")
    for name, detail in steps:
        print(f"  ok  {name}: {detail}")
    print("demo " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
