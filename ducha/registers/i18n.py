"""Strings of the small hooks this app adds elsewhere (the nav link in base.html, the line on
the indicator page, the demo command's summary, the register template command, the sheet in
an import problem), so that this app's catalogue translates them."""

from django.utils.translation import gettext_noop

HOOK_STRINGS = (
    gettext_noop("Registers"),
    gettext_noop("Computed from the registers."),
    gettext_noop("Values by district and the records behind each"),
    gettext_noop(
        "Registers: %(enterprises)d enterprises, %(projects)d projects, %(platforms)d "
        "platforms, %(technologies)d key technologies, %(talents)d talents in %(teams)d "
        "teams; %(computed)d computed values."
    ),
    gettext_noop("a register template is an .xlsx workbook"),
    gettext_noop("sheet %(sheet)s, %(text)s"),
    gettext_noop("row %(row)d, column %(column)s: %(message)s"),
    gettext_noop("row %(row)d: %(message)s"),
    gettext_noop("the file is empty"),
    gettext_noop("old .xls workbooks are not supported; save as .xlsx or CSV"),
    gettext_noop("the file's encoding is not recognised; save it as UTF-8 or GBK CSV"),
    gettext_noop("the CSV cannot be read: %s"),
    gettext_noop(
        "the file is not a readable Excel workbook (.xlsx); open it in Excel or WPS, save it as "
        ".xlsx or CSV and upload it again"
    ),
)
