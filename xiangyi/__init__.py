"""Foundation shared by every layer: version, paths, translation and logging.

Nothing here imports Qt or any heavy library, so the headless CLI stays light.
"""

__version__ = "0.1.0"
APP_NAME = "Xiangyi"
