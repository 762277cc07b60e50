# Statistics to a CSV file named by the first script argument, histogram for the sink.
import sys
import sst

source = sst.Component("source", "enginetest.source")
source.addParam("count", 4)
sink = sst.Component("sink", "enginetest.sink")
sst.Link("wire").connect((source, "out", "1ns"), (sink, "in", "1ns"))

sst.setStatisticOutput("sst.statOutputCSV", {"filepath": sys.argv[1], "separator": ","})
source.enableStatistics(["sent"])
sink.enableStatistics(["received"], {"type": "sst.HistogramStatistic", "minvalue": 0, "binwidth": 2,
                                     "numbins": 2})
