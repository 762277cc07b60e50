# Three events from source to sink over a 2 ns link; statistics to the console.
import sst

source = sst.Component("source", "enginetest.source")
source.addParams({"count": 3, "interval": "1ns", "device7_base": "0x1000"})
sink = sst.Component("sink", "enginetest.sink")
sink.addParam("verbose", True)

link = sst.Link("wire")
link.connect((source, "out", "2ns"), (sink, "in", "2ns"))

sst.setStatisticLoadLevel(1)
sst.enableAllStatisticsForAllComponents()
print("argv:", " ".join(__import__("sys").argv[1:]))
