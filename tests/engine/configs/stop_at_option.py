# A source that would send 1000 events, stopped early by the program option (or --stop-at).
import sst

sst.setProgramOption("stop-at", "5ns")
source = sst.Component("source", "enginetest.source")
source.addParam("count", 1000)
sink = sst.Component("sink", "enginetest.sink")
sink.addParam("verbose", "yes")
sst.Link("wire").connect((source, "out", "0ns"), (sink, "in", "0ns"))
