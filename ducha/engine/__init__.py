"""Pure computation: no Django import anywhere below this package.

Assessment, periods, numbers, units and text extraction live here so that they are fast,
testable on their own, and usable from a plain Python shell. The Django apps call into this
package; it never calls back. ``tests/test_engine_is_pure.py`` enforces the rule.
"""
