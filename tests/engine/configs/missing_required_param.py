import sst

sst.Component("needy", "enginetest.needs_param")
