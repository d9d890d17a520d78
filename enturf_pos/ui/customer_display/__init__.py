"""The customer display: a second window, on the screen facing the customer.

* :mod:`display_state` - `CustomerDisplayState`, what it shows, without Qt (tests drive it);
* :mod:`window` - `CustomerDisplay` (objectName ``customerDisplay``), which draws it and
  never takes the focus;
* :mod:`feed` - `CustomerDisplayFeed`, which keeps it to the cashier window's sale and
  shows it on the chosen screen;
* :mod:`settings` - which screen (the counter's `counter.ini`).

See docs/pos.md ("The customer display") and docs/ui-automation.md.
"""
