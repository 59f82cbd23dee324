"""The platform's date and number formats per language (settings.FORMAT_MODULE_PATH).

One format per language, used by every template through the named formats (DATE_FORMAT,
DATETIME_FORMAT, ...): the short formats are the long ones, so a date reads the same everywhere.
"""
