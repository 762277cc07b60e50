# Statistics enabled by component name and load level by type, written to the console with SST's optional columns.
# With the argument "unknown", names a component that does not exist.
import sys

import sst

source = sst.Component("source", "enginetest.source")
source.addParams({"count": 3, "interval": "1ns"})
sink = sst.Component("sink", "enginetest.sink")
sst.Link("wire").connect((source, "out", "2ns"), (sink, "in", "2ns"))

# The program-wide load level would leave the sink's statistic (level 1) off; its type's turns it on.
sst.setStatisticLoadLevel(0)
sst.setStatisticLoadLevelForComponentType("enginetest.sink", 1)
sst.setStatisticOutput("sst.statOutputConsole", {"outputsimtime": True, "outputrank": True})
sst.enableStatisticForComponentName("unknown" if sys.argv[1:] == ["unknown"] else "sink", "received")
