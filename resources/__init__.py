"""Files that are not code (style sheets; later icons, fonts, translations), shipped as a
package so that `importlib.resources.files("resources")` finds them in a source checkout,
an editable install and a wheel alike. No code goes here."""
