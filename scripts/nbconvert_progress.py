"""nbconvert configuration that `deno task reproduce` passes with --config.

It tells, on stderr, which cell starts: one line "@cell N" (N: the code cell's index among all
the notebook's cells, markdown included) before each code cell runs, so that reproduce can show where a long
notebook is. Nothing else changes: the notebook is executed and saved as without it.
"""


def _cell_start(cell, cell_index, **_):
    import sys

    if cell.cell_type == "code":
        print(f"@cell {cell_index}", file=sys.stderr, flush=True)


c = get_config()  # noqa: F821 (traitlets defines it for configuration files)
c.ExecutePreprocessor.on_cell_start = _cell_start
