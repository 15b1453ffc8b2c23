"""The `ducha` console command: Django's manage.py, installed with the package."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    from ducha.core.commands import Utility

    try:
        Utility(argv if argv is not None else sys.argv).execute()
    except BrokenPipeError:  # `ducha assess | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
