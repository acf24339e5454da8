"""TensorBoard interop: event files in (tb_import), long-format rows out (export).

Each module imports its optional dependency (tensorboard, pandas) only when it runs,
so the tracker and the dashboard start without them.
"""
