"""`python -m cookiecutter_ai_service audit ...`, the same as the console script."""

import sys

from .cli import main

sys.exit(main())
