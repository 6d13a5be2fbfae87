"""Create (or update) a staff account in the Curator or Editor group."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a staff account for a curator (add and change, no delete, no publish) or, with "
        "--editor, an editor (everything, including publish). Asks for the password unless "
        "--password-from-env NAME is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--editor", action="store_true", help="Put the account in the Editor group."
        )
        parser.add_argument(
            "--password-from-env",
            metavar="NAME",
            help="Read the password from this environment variable (for scripts).",
        )

    def handle(self, *args, username, email, editor, password_from_env, **options):
        group_name = "Editor" if editor else "Curator"
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(
                f"The {group_name} group is missing; run `manage.py migrate` first."
            ) from None

        password = self._password(password_from_env)
        user_model = get_user_model()
        with transaction.atomic():
            user, created = user_model.objects.get_or_create(username=username)
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(group)

        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {username!r} in the {group_name} group; log in at /admin/.")
        )

    def _password(self, env_name):
        if env_name:
            password = os.environ.get(env_name, "")
            if not password:
                raise CommandError(f"The environment variable {env_name} is empty or unset.")
            return password
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
