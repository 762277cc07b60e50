import sst

source = sst.Component("source", "enginetest.source")
sink = sst.Component("sink", "enginetest.sink")
link = sst.Link("wire", "1ns")
link.connect((source, "out"), (sink, "input"))
