import sst

source = sst.Component("source", "enginetest.source")
link = sst.Link("dangling", "1ns")
source.addLink(link, "out")
