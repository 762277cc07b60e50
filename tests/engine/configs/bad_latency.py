import sst

source = sst.Component("source", "enginetest.source")
sink = sst.Component("sink", "enginetest.sink")
sst.Link("wire").connect((source, "out", "1 parsec"), (sink, "in", "1ns"))
