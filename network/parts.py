"""What the network app adds to the pages that gather from every app (``registry``)."""


def register():
    pass
