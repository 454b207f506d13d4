"""Load the parsers' cached tables (Babel locale data, compiled patterns) once in the worker process.

Each document is read in a forked child (worker.sandbox) whose caches die with it: without this, every child
loaded Babel's locale data anew, ~100 ms of a ~130 ms parse. Filled in the parent, the children inherit them.
"""

from functools import cache


@cache
def warm_parsers() -> None:
    from parsers import date_text
    from parsers.invoice import layout, postal_address
    from parsers.reply import when

    for load in (date_text.month_table, date_text._patterns, postal_address._country_names, layout._labels,
                 layout._any_label, when._weekdays, when._patterns):
        load()
