"""The Scheme language of vsys: reader, evaluator, data types, errors."""

import sys

# Scheme integers have no size limit, and neither has their text.  Python refuses by
# default to convert more than 4300 decimal digits between int and str (a guard for
# programs parsing untrusted numbers), which made a long literal, display, format, a
# module name holding a number... fail with a Python ValueError.  Every such conversion
# in vsys is of a Scheme number, so the guard is lifted for the process.
sys.set_int_max_str_digits(0)
