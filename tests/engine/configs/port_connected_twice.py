import sst

source = sst.Component("source", "enginetest.source")
sink = sst.Component("sink", "enginetest.sink")
sst.Link("first", "1ns").connect((source, "out"), (sink, "in"))
other = sst.Component("other", "enginetest.sink")
sst.Link("second", "1ns").connect((source, "out"), (other, "in"))
