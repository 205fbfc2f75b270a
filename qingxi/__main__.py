import sys

from qingxi.ops.cli import main

sys.exit(main())
