"""Runs one cell in Jupyter's `deno` kernel and prints the cell's output messages as JSON.

Usage: python3 capture.py FOLDER < cell.ts

The kernel starts in FOLDER. Every iopub message of the cell that a front end turns into outputs
(stream, display_data, update_display_data, execute_result, clear_output, error) is printed, in
the order it came, as one JSON array of {"msg_type", "content"}. Exits with 1 when the cell fails.
"""

import json
import sys

from jupyter_client.manager import start_new_kernel

OUTPUT_TYPES = {
    "stream",
    "display_data",
    "update_display_data",
    "execute_result",
    "clear_output",
    "error",
}


def main() -> int:
    folder = sys.argv[1]
    code = sys.stdin.read()
    manager, client = start_new_kernel(kernel_name="deno", cwd=folder, startup_timeout=120)
    messages = []

    def keep(msg):
        if msg["msg_type"] in OUTPUT_TYPES:
            messages.append({"msg_type": msg["msg_type"], "content": msg["content"]})

    try:
        reply = client.execute_interactive(code, timeout=300, output_hook=keep)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    json.dump(messages, sys.stdout)
    if reply["content"]["status"] != "ok":
        content = reply["content"]
        print(f"\ncell failed: {content.get('ename')}: {content.get('evalue')}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
