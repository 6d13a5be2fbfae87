"""Dates typed in forms: ISO (2023-12-14) first, so the admin shows and inserts it, and the
British day-first forms still taken. Every other format is Django's for en-GB."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2023-12-14'
    "%d/%m/%Y",  # '14/12/2023'
    "%d/%m/%y",  # '14/12/23'
]
