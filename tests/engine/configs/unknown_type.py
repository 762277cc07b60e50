import sst

sst.Component("thing", "enginetest.no_such_element")
