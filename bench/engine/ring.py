# The engine benchmarks' event workload as an SST config: 64 benchring.ring nodes in a ring over 1 ns
# links, 4 events each in flight (256).  Runs unchanged under qemu-sst and a real sst-core's sst.
import sst

NODES = 64
nodes = [sst.Component("node%d" % i, "benchring.ring") for i in range(NODES)]
for i in range(NODES):
    sst.Link("ring%d" % i).connect((nodes[i], "next", "1ns"), (nodes[(i + 1) % NODES], "prev", "1ns"))
