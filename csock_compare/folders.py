"""Where descriptions are: the checkout's descriptions/ folder and the OS whose folder applies."""
import os
import sys


class DescriptionError(ValueError):
    """A description that cannot be used; the message names the file and the key."""


def find_descriptions(folder):
    """Every *.toml description under folder, sorted."""
    found = []
    for root, _dirs, files in os.walk(folder):
        found += [os.path.join(root, f) for f in files if f.endswith(".toml")]
    return sorted(found)


def default_folder():
    """The checkout's descriptions/: looked for from the current directory upwards, then beside this package."""
    here = os.getcwd()
    while True:
        if os.path.isdir(os.path.join(here, "descriptions")):
            return os.path.join(here, "descriptions")
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "descriptions")
    if os.path.isdir(beside):
        return beside
    raise DescriptionError("no descriptions/ folder here or above, and none beside csock_compare: "
                           "give a description file")


def this_os():
    return "Windows" if sys.platform == "win32" else "Linux"
