"""PyInstaller runtime hook: an empty ``PySide6.QtOpenGL`` when the build has none.

pyqtgraph imports ``QtOpenGL`` at module level (``PlotCurveItem``, ``PColorMeshItem``)
for its optional OpenGL drawing, which Xiangyi never turns on (pyqtgraph's ``useOpenGL``
option keeps its default, off: plots are drawn by QPainter). The build leaves PySide6's
QtOpenGL binding out (8.5 MiB; QtOpenGLWidgets, 0.2 MiB, stays) and this finder, last on
``sys.meta_path``, answers that one import with an empty module. The real module wins
wherever it is present; any real use of the empty one fails loudly with AttributeError.
Nothing is imported at start.
"""

import importlib.abc
import importlib.machinery
import sys
import types

_NAME = "PySide6.QtOpenGL"


class _EmptyQtOpenGL(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name != _NAME:
            return None
        return importlib.machinery.ModuleSpec(name, self)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__doc__ = "Left out of this build (OpenGL drawing is never used)."
        return module

    def exec_module(self, module):
        pass


sys.meta_path.append(_EmptyQtOpenGL())
