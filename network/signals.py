"""Recompute the graph when membership or connections change (see ``tasks``)."""


def connect():
    pass
