import sys

from qingxi.ops.cli import main

if len(sys.argv) > 1 and sys.argv[1] in ("worker", "channel"):  # notifications (qingxi.notify)
    from qingxi.notify.cli import main
sys.exit(main())
