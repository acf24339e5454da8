"""A training loop for the tests to run in a child process and kill: ``python -c TRAINER log_dir
max_queue flush_secs pause``. Logs tag "a" = 2 * step; after each flush every 100 steps, prints
the last step committed."""

TRAINER = """
import sys, time, tracker
log_dir, max_queue, flush_secs, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
w = tracker.SummaryWriter(log_dir, max_queue=max_queue, flush_secs=flush_secs)
step = 0
while True:
    w.add_scalar("a", step * 2.0, step)
    if step % 100 == 99:
        w.flush()
        print(step, flush=True)
    step += 1
    if pause:
        time.sleep(pause)
"""
