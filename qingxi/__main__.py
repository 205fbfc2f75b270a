import sys

from qingxi.cli import main

sys.exit(main())
