import sst

source = sst.Component("source", "enginetest.source")
source.addParams({"count": 3,
                  "colour": "blue"})
sink = sst.Component("sink", "enginetest.sink")
sink.addParam("verbose", True)
sst.Link("wire").connect((source, "out", "2ns"), (sink, "in", "2ns"))
