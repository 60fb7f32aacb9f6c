"""The features `cond-expand` and R7RS `(features)` report: what Guile 3.0 reports,
and vsys itself."""

FEATURES = {"guile", "guile-2", "guile-2.2", "guile-3", "guile-3.0", "r5rs", "r6rs", "r7rs",
            "exact-closed", "ratios", "full-unicode", "vsys", "srfi-0", "srfi-1", "srfi-2",
            "srfi-4", "srfi-6", "srfi-8", "srfi-9", "srfi-11", "srfi-13", "srfi-14",
            "srfi-16", "srfi-23", "srfi-26", "srfi-30", "srfi-34", "srfi-39", "srfi-55",
            "srfi-61", "srfi-62", "srfi-87", "srfi-105",
            # the SRFIs whose modules vsys has, which Guile adds once they are loaded
            "srfi-17", "srfi-31", "srfi-35", "srfi-43", "srfi-45", "srfi-69", "srfi-71",
            "srfi-88"}
