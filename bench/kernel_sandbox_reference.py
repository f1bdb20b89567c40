"""Reference for bench/kernel-sandbox.ts: Debian's jupyter_client on the same
python3 kernelspec. Times `starts` kernel starts (start_kernel until
wait_for_ready) and N executes of `1+1` (until both the execute_reply and the
request's iopub `status: idle` arrived, KernelClient's completion rule:
`round_trips` of kernel_roundtrip_reference.py).
Prints one JSON line: {"start_ms": [...], "roundtrip_ms": [...]}."""
import json
import sys
import time

from jupyter_client import KernelManager

from kernel_roundtrip_reference import round_trips


def started() -> tuple:
    t0 = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc, (time.perf_counter() - t0) * 1000


def main() -> None:
    n, warmup, starts = (int(a) for a in sys.argv[1:4])
    start_ms = []
    for _ in range(starts):
        km, kc, ms = started()
        start_ms.append(ms)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    km, kc, _ = started()
    try:
        timings = round_trips(kc, n, warmup)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps({"start_ms": start_ms, "roundtrip_ms": timings}))


if __name__ == "__main__":
    main()
