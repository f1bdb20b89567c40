"""Reference for bench/kernel-roundtrip.ts: N executes of `1+1` through Debian's
jupyter_client (KernelManager + BlockingKernelClient), each timed from send until
both the execute_reply and the iopub `status: idle` for that request arrived —
the same completion rule KernelClient uses. Prints one JSON line of timings (ms).
`round_trips` is also the round trip of kernel_sandbox_reference.py."""
import json
import sys
import time

from jupyter_client import KernelManager


def round_trips(kc, n: int, warmup: int) -> list:
    """Milliseconds of each of `n` executes of `1+1`, after `warmup` untimed ones."""
    timings = []
    for i in range(warmup + n):
        t0 = time.perf_counter()
        msg_id = kc.execute("1+1")
        replied = idle = False
        while not replied:
            reply = kc.get_shell_msg(timeout=30)
            replied = reply["parent_header"].get("msg_id") == msg_id
        while not idle:
            msg = kc.get_iopub_msg(timeout=30)
            idle = (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
            )
        if i >= warmup:
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    try:
        timings = round_trips(kc, n, warmup)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps({"timings_ms": timings}))


if __name__ == "__main__":
    main()
