import sst

sst.setProgramOption("stop-at", "1us")
