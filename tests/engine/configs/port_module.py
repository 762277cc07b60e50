# Three events from source to sink; sst.portmodules.random_drop on the sink's port drops every one.
import sst

source = sst.Component("source", "enginetest.source")
source.addParams({"count": 3, "interval": "1ns"})
sink = sst.Component("sink", "enginetest.sink")
sink.addParam("verbose", True)

link = sst.Link("wire")
link.connect((source, "out", "2ns"), (sink, "in", "2ns"))

pm = sink.addPortModule("in", "sst.portmodules.random_drop", {"drop_prob": 0.5})
pm.addParam("drop_prob", 1.0)
pm.addParams({"verbose": True, "rngseed": 5})
pm.enableStatistics(["dropped"])
print(pm)
