import sst

for name in ["a", "b"]:
sst.Component(name, "enginetest.sink")
