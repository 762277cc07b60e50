import sst

def helper():
    return {}["missing"]

helper()
