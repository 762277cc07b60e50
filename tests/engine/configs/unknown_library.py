import sst

sst.Component("thing", "nosuchlibrary.element")
