import sys, re
# usage: phases.py MANAGER_STDERR WORKER_OUTPUT [SKIP]: the phases of each 16 MB round trip traced with 2026-12-07-big16-trace.patch
# (PayloadProbe first MB N with -Dbig16.trace=true for the manager and, in -Dprobe.workerOptions, the worker); min, median, max over the tasks from SKIP
skip = int(sys.argv[3]) if len(sys.argv) > 3 else 2
ev = []
for side, path in (("M", sys.argv[1]), ("W", sys.argv[2])):
    for l in open(path, errors="replace"):
        m = re.match(r"TRACE (\d+) (\S+(?: \S+)*?) (ser stream written|ser allocated|serialized|submitted|frame start|frame complete|task start|task end|result copied|write start|write end|send start|send done|program add|program got)", l.strip())
        if m:
            ev.append((int(m.group(1)), side + " " + m.group(3)))
ev.sort()
tasks = []
cur = None
for t, what in ev:
    if what == "M program add":
        cur = {}
        tasks.append(cur)
    if cur is not None and what not in cur:
        cur[what] = t
names = [("pre-send (add->send start)", "M program add", "M send start"),
         ("  of which serialize", "M program add", "M serialized"),
         ("    stream", "M program add", "M ser stream written"),
         ("    allocate", "M ser stream written", "M ser allocated"),
         ("    copy", "M ser allocated", "M serialized"),
         ("  serialized->send start", "M serialized", "M send start"),
         ("task leg (send start->W complete)", "M send start", "W frame complete"),
         ("  send start->W frame start", "M send start", "W frame start"),
         ("  M send done->W complete", "M send done", "W frame complete"),
         ("worker (W complete->write start)", "W frame complete", "W write start"),
         ("  of which copy", "W task end", "W result copied"),
         ("result leg (write start->M complete)", "W write start", "M frame complete"),
         ("  W write end->M complete", "W write end", "M frame complete"),
         ("program (M complete->got)", "M frame complete", "M program got"),
         ("total", "M program add", "M program got")]
sel = tasks[skip:]
print("tasks %d..%d" % (skip, len(tasks) - 1))
for label, a, b in names:
    v = sorted((x[b] - x[a]) / 1000 for x in sel if a in x and b in x)
    if v:
        print("%-40s min %7.2f  median %7.2f  max %7.2f ms" % (label, v[0], v[len(v)//2], v[-1]))
