"""The public pages' template filters: dates no more precise than known, only web links."""

import datetime

from django.template import Context, Template

DAY = datetime.date(2019, 7, 21)


def render(source, **context):
    return Template("{% load kb %}" + source).render(Context(context))


def test_a_partial_date_reads_as_precisely_as_it_is_known():
    assert render("{{ d|partial_date }}", d=DAY) == "21 July 2019"
    assert render("{{ d|partial_date:'month' }}", d=DAY) == "July 2019"
    assert render("{{ d|partial_date:'year' }}", d=DAY) == "2019"
    assert render("{{ d|partial_date }}", d=None) == ""


def test_a_time_element_gets_a_machine_date_at_the_same_precision():
    assert render("{{ d|datetime_attr }}", d=DAY) == "2019-07-21"
    assert render("{{ d|datetime_attr:'month' }}", d=DAY) == "2019-07"
    assert render("{{ d|datetime_attr:'year' }}", d=DAY) == "2019"
    assert render("{{ d|datetime_attr }}", d=None) == ""


def test_only_web_addresses_become_links():
    assert render("{{ u|web_url }}", u="https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert render("{{ u|web_url }}", u="HTTP://EXAMPLE.ORG") == "HTTP://EXAMPLE.ORG"
    assert render("{{ u|web_url }}", u="javascript:alert(1)") == ""
    assert render("{{ u|web_url }}", u="") == ""
