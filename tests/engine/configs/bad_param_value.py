import sst

source = sst.Component("source", "enginetest.source")
source.addParam("count", "many")
sink = sst.Component("sink", "enginetest.sink")
sst.Link("wire").connect((source, "out", "1ns"), (sink, "in", "1ns"))
