SETTINGS = {"size": 3}


limit = SETTINGS["limit"]


def work():
    return limit


__export__ = ["work"]
