"""The Qt Widgets window (the only package that imports PySide6).

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` at each call of a C++
method that returns nothing, and one to ``True`` at each signal emit; after some
thousands of calls the interpreter aborts ("none_dealloc"). pyproject excludes that
release and tests/test_qt_binding.py checks the installed one.
"""
