"""The `ducha` console command: Django's manage.py, installed with the package."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    from ducha.core.commands import Utility

    Utility(argv if argv is not None else sys.argv).execute()


if __name__ == "__main__":
    main()
