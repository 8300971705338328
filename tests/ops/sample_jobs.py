"""Jobs a real `labinov worker` runs in the operations tests (imported by name)."""


def succeed(value=None):
    return value


def fail(message="the sample job fails"):
    raise RuntimeError(message)


def sleep(seconds=30):
    import time

    time.sleep(seconds)
