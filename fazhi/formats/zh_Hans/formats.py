"""Chinese formats with ISO dates first: a form field's initial date is rendered with the first input format, and
an HTML date input (type=date) reads only YYYY-MM-DD — Django's own zh_Hans list starts with YYYY/MM/DD, which a
date input silently drops (the field then shows empty and a required one blocks the form)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - everything else as Django's zh_Hans

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
]
