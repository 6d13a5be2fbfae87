"""Create the five issues of the brief, published, with descriptions and keywords."""

from django.db import migrations

BRIEF_ISSUES = [
    {
        "slug": "afghanistan",
        "name": "Afghanistan",
        "description": "Afghanistan's war, peace process and government, and Pakistan's and the "
        "United States' policies towards it.",
        "keywords": "Afghanistan\nAfghan\nKabul\nTaliban\nAfghan peace process\nintra-Afghan\n"
        "Doha agreement\nAshraf Ghani\nIslamic Emirate",
    },
    {
        "slug": "kashmir",
        "name": "Kashmir",
        "description": "The Kashmir dispute between India and Pakistan, including offers of "
        "mediation and the 2019 revocation of Jammu and Kashmir's special status.",
        "keywords": "Kashmir\nJammu and Kashmir\nKashmiri\nLine of Control\nmediation\n"
        "third party intervention",
    },
    {
        "slug": "ttp",
        "name": "TTP",
        "description": "Tehreek-e-Taliban Pakistan (the Pakistani Taliban): its attacks in "
        "Pakistan and its sanctuaries in Afghanistan.",
        "keywords": "TTP\nTehreek-e-Taliban Pakistan\nTehrik-i-Taliban\nPakistani Taliban",
    },
    {
        "slug": "aid",
        "name": "Aid",
        "description": "U.S. economic and military assistance to Pakistan: amounts, suspensions, "
        "restorations and conditions.",
        "keywords": "aid\nassistance\nsecurity assistance\nmilitary aid\ncoalition support\n"
        "economic aid\nfunding\nmilitary training",
    },
    {
        "slug": "cpec",
        "name": "CPEC",
        "description": "The China–Pakistan Economic Corridor and U.S. views of it.",
        "keywords": "CPEC\nChina-Pakistan Economic Corridor\nChina Pakistan Economic Corridor\n"
        "Belt and Road",
    },
]


def create_issues(apps, schema_editor):
    Issue = apps.get_model("visits", "Issue")
    for data in BRIEF_ISSUES:
        Issue.objects.update_or_create(
            slug=data["slug"],
            defaults={**data, "publication_status": "published"},
        )


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(create_issues, migrations.RunPython.noop)]
