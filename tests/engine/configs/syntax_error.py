import sst

source = sst.Component("source", "enginetest.source")
source.addParams({"count": 3)
