import sys

from relevance.cli import main

sys.exit(main())
