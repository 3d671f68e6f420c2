"""The frozen app's entry point: the same ``xiangyi`` command as the console script."""

from desktop.cli import entry

if __name__ == "__main__":
    entry()
