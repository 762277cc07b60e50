# Shared parameter sets: the source takes its count from a set filled in after it subscribed, and
# its own interval over the set's; the sink's verbose comes from a second set.
import sst

source = sst.Component("source", "enginetest.source")
source.addParam("interval", "1ns")
source.addSharedParamSet("source_defaults")
sink = sst.Component("sink", "enginetest.sink")
sink.addSharedParamSet("sink_defaults")

link = sst.Link("wire")
link.connect((source, "out", "2ns"), (sink, "in", "2ns"))

sst.addSharedParams("sink_defaults", {"verbose": True})
sst.addSharedParam("source_defaults", "count", 2)
sst.addSharedParam("source_defaults", "interval", "5ns")
