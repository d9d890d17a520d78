"""Tax-inclusive pricing: the one place where server and POS compute booking totals.

Import from the module that holds the thing; nothing is re-exported here.
"""
