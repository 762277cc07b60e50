import sst

sst.Component("broken", "enginetest.fails")
