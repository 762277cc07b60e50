# A port module on a port the component does not have.
import sst

source = sst.Component("source", "enginetest.source")
sink = sst.Component("sink", "enginetest.sink")
sst.Link("wire").connect((source, "out", "2ns"), (sink, "in", "2ns"))
sink.addPortModule("inn", "sst.portmodules.random_drop")
