from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from vault.services import master_key_rotate


class Command(BaseCommand):
    help = "Add a new master key and rewrap every client's data key under it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--retire-old", action="store_true", help="Remove the old master keys from the keyring afterwards."
        )

    def handle(self, *args: Any, retire_old: bool, **options: Any) -> None:
        new_id, count, retired = master_key_rotate(retire_old=retire_old)
        self.stdout.write(f"Active master key is now {new_id}; {count} data keys rewrapped.")
        if retired:
            self.stdout.write(f"Retired: {', '.join(retired)}. Back up the new keyring now.")
